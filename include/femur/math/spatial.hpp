// Spatial algebra for rigid-body kinematics and dynamics (Featherstone 2008, ch. 2).
// A Transform X_A_B carries coordinates from frame B to frame A; motions and forces are
// pairs of 3-vectors (angular first) expressed in one frame, about that frame's origin.
#pragma once

#include <algorithm>
#include <cmath>

#include <Eigen/Core>
#include <Eigen/Geometry>

namespace femur {

using Vec3 = Eigen::Vector3d;
using Mat3 = Eigen::Matrix3d;
using Vec6 = Eigen::Matrix<double, 6, 1>;
using Mat6 = Eigen::Matrix<double, 6, 6>;
using Matrix6X = Eigen::Matrix<double, 6, Eigen::Dynamic>;
using Matrix3X = Eigen::Matrix<double, 3, Eigen::Dynamic>;

// Skew-symmetric matrix with skew(a) * b = a x b.
inline Mat3 skew(const Vec3& a) {
  Mat3 s;
  s << 0, -a.z(), a.y(), a.z(), 0, -a.x(), -a.y(), a.x(), 0;
  return s;
}

// Rotation by `angle` (rad) about the unit axis `axis`.
inline Mat3 axis_rotation(const Vec3& axis, double angle) {
  return Eigen::AngleAxisd(angle, axis).toRotationMatrix();
}

// Body-fixed X-Y-Z rotation (OpenSim's `orientation`, `xyz_body_rotation`):
// R = Rx(a) * Ry(b) * Rz(c).
inline Mat3 body_fixed_xyz(const Vec3& angles) {
  return (Eigen::AngleAxisd(angles.x(), Vec3::UnitX()) *
          Eigen::AngleAxisd(angles.y(), Vec3::UnitY()) *
          Eigen::AngleAxisd(angles.z(), Vec3::UnitZ()))
      .toRotationMatrix();
}

// Inverse of body_fixed_xyz: the angles (a, b, c) with R = Rx(a) Ry(b) Rz(c), b in
// [-pi/2, pi/2]. a comes from R12, R22; c and b from combinations that do not vanish with
// cos b, so the rebuilt rotation matches R to rounding even at gimbal lock:
//   cos a R10 + sin a R20 = sin c,  cos a R11 + sin a R21 = cos c,
//   cos a R22 - sin a R12 = cos b,  R02 = sin b
// (Shoemake, "Euler angle conversion", Graphics Gems IV, 1994, uses the same idea).
inline Vec3 body_fixed_xyz_angles(const Mat3& R) {
  const double a = std::atan2(-R(1, 2), R(2, 2));
  const double sa = std::sin(a), ca = std::cos(a);
  const double c = std::atan2(ca * R(1, 0) + sa * R(2, 0), ca * R(1, 1) + sa * R(2, 1));
  const double b = std::atan2(R(0, 2), ca * R(2, 2) - sa * R(1, 2));
  return {a, b, c};
}

// Spatial motion (twist): angular velocity w and linear velocity v of the point at the
// frame origin, both in that frame's coordinates.
struct Motion {
  Vec3 w = Vec3::Zero();
  Vec3 v = Vec3::Zero();

  static Motion zero() { return {}; }
  Vec6 vector() const { Vec6 r; r << w, v; return r; }
  Motion operator+(const Motion& o) const { return {w + o.w, v + o.v}; }
  Motion operator-(const Motion& o) const { return {w - o.w, v - o.v}; }
  Motion operator*(double s) const { return {w * s, v * s}; }
  Motion& operator+=(const Motion& o) { w += o.w; v += o.v; return *this; }
};

// Spatial force (wrench): moment n about the frame origin and force f.
struct Force {
  Vec3 n = Vec3::Zero();
  Vec3 f = Vec3::Zero();

  static Force zero() { return {}; }
  Vec6 vector() const { Vec6 r; r << n, f; return r; }
  Force operator+(const Force& o) const { return {n + o.n, f + o.f}; }
  Force operator-(const Force& o) const { return {n - o.n, f - o.f}; }
  Force& operator+=(const Force& o) { n += o.n; f += o.f; return *this; }
  Force& operator-=(const Force& o) { n -= o.n; f -= o.f; return *this; }
};

// Motion cross product m1 x m2 (Featherstone eq. 2.31).
inline Motion cross(const Motion& a, const Motion& b) {
  return {a.w.cross(b.w), a.w.cross(b.v) + a.v.cross(b.w)};
}

// Force cross product m x* f (Featherstone eq. 2.32).
inline Force cross(const Motion& a, const Force& f) {
  return {a.w.cross(f.n) + a.v.cross(f.f), a.w.cross(f.f)};
}

inline double dot(const Motion& m, const Force& f) { return m.w.dot(f.n) + m.v.dot(f.f); }

// Rigid transform X_A_B: x_A = R * x_B + p, with p the origin of B in A.
struct Transform {
  Mat3 R = Mat3::Identity();
  Vec3 p = Vec3::Zero();

  static Transform identity() { return {}; }

  Transform operator*(const Transform& o) const { return {R * o.R, R * o.p + p}; }
  Transform inverse() const { return {R.transpose(), -(R.transpose() * p)}; }

  Vec3 apply(const Vec3& x) const { return R * x + p; }
  Vec3 apply_inverse(const Vec3& x) const { return R.transpose() * (x - p); }

  // Motion in B coordinates -> A coordinates.
  Motion apply(const Motion& m) const {
    const Vec3 w = R * m.w;
    return {w, R * m.v + p.cross(w)};
  }
  // Motion in A coordinates -> B coordinates.
  Motion apply_inverse(const Motion& m) const {
    return {R.transpose() * m.w, R.transpose() * (m.v - p.cross(m.w))};
  }
  // Force in B coordinates -> A coordinates.
  Force apply(const Force& f) const {
    const Vec3 fa = R * f.f;
    return {R * f.n + p.cross(fa), fa};
  }
  // Force in A coordinates -> B coordinates.
  Force apply_inverse(const Force& f) const {
    return {R.transpose() * (f.n - p.cross(f.f)), R.transpose() * f.f};
  }
};

// Rigid-body inertia about a frame's origin, in that frame: mass m, first moment h = m c,
// rotational inertia I about the origin.
struct SpatialInertia {
  double m = 0.0;
  Vec3 h = Vec3::Zero();
  Mat3 I = Mat3::Zero();

  // From mass, centre of mass c and inertia about the centre of mass (parallel axis theorem).
  static SpatialInertia from_com(double mass, const Vec3& com, const Mat3& inertia_about_com) {
    const Mat3 cx = skew(com);
    return {mass, mass * com, inertia_about_com - mass * cx * cx};
  }

  Vec3 com() const { return m > 0 ? Vec3(h / m) : Vec3::Zero(); }

  Force operator*(const Motion& a) const {
    return {I * a.w + h.cross(a.v), m * a.v - h.cross(a.w)};
  }
  SpatialInertia operator+(const SpatialInertia& o) const { return {m + o.m, h + o.h, I + o.I}; }
  SpatialInertia& operator+=(const SpatialInertia& o) { m += o.m; h += o.h; I += o.I; return *this; }

  Mat6 matrix() const {
    Mat6 M;
    const Mat3 hx = skew(h);
    M << I, hx, -hx, m * Mat3::Identity();
    return M;
  }

  // Inertia of the same body expressed in frame A, given X_A_B (this in B). With h' = R h
  // and p the origin of B in A: I_A = R I R^T - [p][h'] - [h'][p] - m [p]^2, which is the
  // parallel-axis theorem applied twice (Featherstone 2008, eq. 2.66).
  SpatialInertia transformed(const Transform& X_A_B) const {
    const Vec3 hr = X_A_B.R * h;
    const Mat3 px = skew(X_A_B.p), hx = skew(hr);
    return {m, hr + m * X_A_B.p,
            X_A_B.R * I * X_A_B.R.transpose() - px * hx - hx * px - m * px * px};
  }
};

// Matrix of the motion transform taking B coordinates to A coordinates (6x6, angular first).
inline Mat6 motion_matrix(const Transform& X_A_B) {
  Mat6 X;
  X << X_A_B.R, Mat3::Zero(), skew(X_A_B.p) * X_A_B.R, X_A_B.R;
  return X;
}

}  // namespace femur
