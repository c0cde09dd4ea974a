// build_hip_model(): bodies, joints and coordinates of femur's built-in model, and the
// muscles of hip_model_muscles.cpp on both sides, through ModelBuilder.
//
// Skeleton: the gait2392 model (OpenSim; Delp et al. 1990, IEEE Trans Biomed Eng 37:757-767;
// Anderson & Pandy 1999, Comput Methods Biomech Biomed Eng 2:201-231; CC BY 3.0), rebuilt
// here: the same body frames, masses, inertias and joint axes, so that its muscle points and
// any gait2392 motion file apply unchanged. Its segment masses are those of a 75.16 kg
// adult: thigh 9.30 kg, shank 3.71 kg, foot 1.57 kg, pelvis 11.78 kg, head-arms-trunk
// 34.24 kg (de Leva 1996, J Biomech 29:1223-1230, gives for a 75 kg male thigh 10.6 kg,
// shank 3.25 kg, foot 1.03 kg; hip_model_test compares).
//
// Joints (OpenSim CustomJoint axes, body-fixed rotation order 1-2-3):
//   ground_pelvis  6 DoF: pelvis_tilt (z), pelvis_list (x), pelvis_rotation (y), tx, ty, tz
//   back           L5/S1, 3 DoF: lumbar_extension (z), lumbar_bending (x), lumbar_rotation (y)
//   hip_r/l        ball-and-socket, 3 DoF: hip_flexion (z), hip_adduction (x), hip_rotation (y)
//                  (the clinical Z-X-Y order of gait2392 rather than OpenSim BallJoint's X-Y-Z)
//   knee_r/l       1 DoF: knee_angle; the tibia translates with it along x and y by the
//                  SimmSplines of Yamaguchi & Zajac 1989 (J Biomech 22:1-10) as gait2392 has them
//   ankle_r/l, subtalar_r/l, mtp_r/l   1 DoF each, Inman's axes (Inman 1976, via Delp 1990)
// The left side is the mirror image (z -> -z) of the right: points and translations negate
// z, rotation axes (a pseudovector) negate x and y, as gait2392's left side does.
#include "femur/hip/hip_model.hpp"

#include <charconv>
#include <stdexcept>

#include "femur/model/data.hpp"
#include "femur/model/model_builder.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "hip_model_tables.hpp"

namespace femur::hip {
namespace {

using detail::MuscleDef;
using detail::PointDef;

Vec3 mirror_point(const Vec3& p, char side) { return side == 'r' ? p : Vec3(p.x(), p.y(), -p.z()); }
Vec3 mirror_axis(const Vec3& a, char side) { return side == 'r' ? a : Vec3(-a.x(), -a.y(), a.z()); }

std::string sided(const std::string& name, char side) { return name + "_" + side; }

// The body of a path point: pelvis and torso are shared, leg segments get the side.
std::string point_body(const std::string& body, char side) {
  return body == "pelvis" || body == "torso" ? body : sided(body, side);
}

Mat3 principal_inertia(double ixx, double iyy, double izz) {
  return Vec3(ixx, iyy, izz).asDiagonal();
}

Coordinate coordinate(std::string name, double lo, double hi, double default_value = 0.0,
                      MotionType type = MotionType::Rotational) {
  Coordinate c;
  c.name = std::move(name);
  c.motion_type = type;
  c.range_min = lo;
  c.range_max = hi;
  c.default_value = default_value;
  return c;
}

AxisSpec axis_of(Vec3 axis, std::string coordinate_name = {}) {
  AxisSpec a;
  a.axis = axis.normalized();
  if (!coordinate_name.empty()) {
    a.coordinate = std::move(coordinate_name);
    a.function = Function::linear(1.0, 0.0);
  }
  return a;
}

Transform offset(const Vec3& p) {
  Transform X = Transform::identity();
  X.p = p;
  return X;
}

// A joint whose translations are constant zero and whose rotation axes are given.
JointSpec rotary_joint(std::string name, std::string parent, std::string child, const Vec3& location_in_parent,
                       std::array<AxisSpec, 3> rotations, std::vector<Coordinate> coordinates) {
  JointSpec j;
  j.name = std::move(name);
  j.type = JointType::Custom;
  j.parent_body = std::move(parent);
  j.child_body = std::move(child);
  j.X_parent_F = offset(location_in_parent);
  j.X_child_M = Transform::identity();
  for (int i = 0; i < 3; ++i) j.axes[i] = std::move(rotations[i]);
  j.axes[3] = axis_of(Vec3::UnitX());
  j.axes[4] = axis_of(Vec3::UnitY());
  j.axes[5] = axis_of(Vec3::UnitZ());
  j.coordinates = std::move(coordinates);
  return j;
}

// One 1-DoF joint about `axis`, with gait2392's two perpendicular constant axes.
JointSpec pin_like(std::string name, std::string parent, std::string child, const Vec3& location_in_parent,
                   const Vec3& axis, const Vec3& second, const Vec3& third, Coordinate c, char side) {
  const std::string coord = c.name;
  return rotary_joint(std::move(name), std::move(parent), std::move(child), mirror_point(location_in_parent, side),
                      {axis_of(mirror_axis(axis, side), coord), axis_of(mirror_axis(second, side)),
                       axis_of(mirror_axis(third, side))},
                      {std::move(c)});
}

void add_bodies(ModelBuilder& b) {
  // gait2392 (Anderson & Pandy 1999 anthropometry): mass (kg), centre of mass in the body
  // frame (m), principal moments of inertia about it (kg m^2).
  b.add_body({"pelvis", 11.777, Vec3(-0.0707, 0, 0), principal_inertia(0.1028, 0.0871, 0.0579), {}});
  // Head, arms and trunk in one body above L5/S1.
  b.add_body({"torso", 34.2366, Vec3(-0.03, 0.32, 0), principal_inertia(1.4745, 0.7555, 1.4314), {}});
  for (const char side : {'r', 'l'}) {
    b.add_body({sided("femur", side), 9.3014, Vec3(0, -0.17, 0), principal_inertia(0.1339, 0.0351, 0.1412), {}});
    b.add_body({sided("tibia", side), 3.7075, Vec3(0, -0.1867, 0), principal_inertia(0.0504, 0.0051, 0.0511), {}});
    b.add_body({sided("talus", side), 0.1, Vec3::Zero(), principal_inertia(0.001, 0.001, 0.001), {}});
    b.add_body({sided("calcn", side), 1.25, mirror_point(Vec3(0.1, 0.03, 0), side),
                principal_inertia(0.0014, 0.0039, 0.0041), {}});
    b.add_body({sided("toes", side), 0.2166, mirror_point(Vec3(0.0346, 0.006, -0.0175), side),
                principal_inertia(0.0001, 0.0002, 0.0001), {}});
  }
}

void add_trunk_joints(ModelBuilder& b) {
  constexpr double kHalfPi = 1.57079633;  // gait2392's +-90 degree ranges
  JointSpec pelvis;
  pelvis.name = "ground_pelvis";
  pelvis.type = JointType::Custom;
  pelvis.parent_body = "ground";
  pelvis.child_body = "pelvis";
  pelvis.axes[0] = axis_of(Vec3::UnitZ(), "pelvis_tilt");
  pelvis.axes[1] = axis_of(Vec3::UnitX(), "pelvis_list");
  pelvis.axes[2] = axis_of(Vec3::UnitY(), "pelvis_rotation");
  pelvis.axes[3] = axis_of(Vec3::UnitX(), "pelvis_tx");
  pelvis.axes[4] = axis_of(Vec3::UnitY(), "pelvis_ty");
  pelvis.axes[5] = axis_of(Vec3::UnitZ(), "pelvis_tz");
  const auto T = MotionType::Translational;
  // Standing height of the pelvis origin: 0.95 m (gait2392's default).
  pelvis.coordinates = {coordinate("pelvis_tilt", -kHalfPi, kHalfPi), coordinate("pelvis_list", -kHalfPi, kHalfPi),
                        coordinate("pelvis_rotation", -kHalfPi, kHalfPi), coordinate("pelvis_tx", -5, 5, 0, T),
                        coordinate("pelvis_ty", -1, 2, 0.95, T), coordinate("pelvis_tz", -3, 3, 0, T)};
  b.add_joint(std::move(pelvis));

  // L5/S1 (gait2392's back joint, placed by Anderson & Pandy 1999).
  b.add_joint(rotary_joint("back", "pelvis", "torso", Vec3(-0.1007, 0.0815, 0),
                           {axis_of(Vec3::UnitZ(), "lumbar_extension"), axis_of(Vec3::UnitX(), "lumbar_bending"),
                            axis_of(Vec3::UnitY(), "lumbar_rotation")},
                           {coordinate("lumbar_extension", -kHalfPi, kHalfPi),
                            coordinate("lumbar_bending", -kHalfPi, kHalfPi),
                            coordinate("lumbar_rotation", -kHalfPi, kHalfPi)}));
}

void add_leg_joints(ModelBuilder& b, char side) {
  constexpr double k120 = 2.0943951, k90 = 1.57079633, k10 = 0.17453293;  // gait2392's ranges
  const auto s = [side](const char* n) { return sided(n, side); };

  // Hip centre in the pelvis frame (Delp et al. 1990, as gait2392).
  b.add_joint(rotary_joint(s("hip"), "pelvis", s("femur"), mirror_point(Vec3(-0.0707, -0.0661, 0.0835), side),
                           {axis_of(mirror_axis(Vec3::UnitZ(), side), s("hip_flexion")),
                            axis_of(mirror_axis(Vec3::UnitX(), side), s("hip_adduction")),
                            axis_of(mirror_axis(Vec3::UnitY(), side), s("hip_rotation"))},
                           {coordinate(s("hip_flexion"), -k120, k120), coordinate(s("hip_adduction"), -k120, k120),
                            coordinate(s("hip_rotation"), -k120, k120)}));

  // Knee: flexion about z, and the tibia's translation in the femur frame as a function of
  // the knee angle: the tibiofemoral translation of Yamaguchi & Zajac 1989's planar knee, as
  // tabulated in gait2392 (SimmSpline knots in rad, values in m).
  JointSpec knee = rotary_joint(s("knee"), s("femur"), s("tibia"), Vec3::Zero(),
                                {axis_of(Vec3::UnitZ(), s("knee_angle")), axis_of(mirror_axis(Vec3::UnitY(), side)),
                                 axis_of(mirror_axis(Vec3::UnitX(), side))},
                                {coordinate(s("knee_angle"), -k120, k10)});
  knee.axes[3].axis = Vec3::UnitX();
  knee.axes[3].coordinate = s("knee_angle");
  knee.axes[3].function = Function::simm_spline(
      {-2.0944, -1.74533, -1.39626, -1.0472, -0.698132, -0.349066, -0.174533, 0.197344, 0.337395, 0.490178, 1.52146,
       2.0944},
      {-0.0032, 0.00179, 0.00411, 0.0041, 0.00212, -0.001, -0.0031, -0.005227, -0.005435, -0.005574, -0.005435,
       -0.00525});
  knee.axes[4].axis = Vec3::UnitY();
  knee.axes[4].coordinate = s("knee_angle");
  knee.axes[4].function = Function::simm_spline({-2.0944, -1.22173, -0.523599, -0.349066, -0.174533, 0.159149, 2.0944},
                                                {-0.4226, -0.4082, -0.399, -0.3976, -0.3966, -0.395264, -0.396});
  b.add_joint(std::move(knee));

  // Ankle (talocrural), subtalar and metatarsophalangeal axes of Inman 1976 as placed in
  // Delp et al. 1990 and gait2392; each with two perpendicular constant (zero) axes.
  b.add_joint(pin_like(s("ankle"), s("tibia"), s("talus"), Vec3(0, -0.43, 0),
                       Vec3(-0.10501355, -0.17402245, 0.97912632), Vec3::UnitY(),
                       Vec3(0.97912632, 0, 0.10501355), coordinate(s("ankle_angle"), -k90, k90), side));
  b.add_joint(pin_like(s("subtalar"), s("talus"), s("calcn"), Vec3(-0.04877, -0.04195, 0.00792),
                       Vec3(0.78717961, 0.60474746, -0.12094949), Vec3::UnitY(),
                       Vec3(-0.12094949, 0, -0.78717961), coordinate(s("subtalar_angle"), -k90, k90), side));
  b.add_joint(pin_like(s("mtp"), s("calcn"), s("toes"), Vec3(0.1788, -0.002, 0.00108),
                       Vec3(-0.5809544, 0, 0.81393611), Vec3::UnitY(), Vec3(0.81393611, 0, 0.5809544),
                       coordinate(s("mtp_angle"), -k90, k90), side));
}

// DeGrooteFregly2016Muscle properties (OpenSim/Actuators/DeGrooteFregly2016Muscle.h names).
// max_contraction_velocity 10 optimal lengths/s and a tendon strain of 0.033 at max isometric
// force are gait2392's (its Thelen2003 FmaxTendonStrain, the same quantity); the rest are
// OpenSim's defaults for this muscle model.
ForceSpec muscle_element(const MuscleDef& def, char side) {
  ForceSpec spec;
  ForceElement& f = spec.force;
  f.type = "DeGrooteFregly2016Muscle";
  f.name = sided(def.name, side);
  MuscleParameters p = default_muscle_parameters(MuscleKind::DeGrooteFregly2016);
  p.name = f.name;
  p.max_isometric_force = def.max_isometric_force;
  p.optimal_fiber_length = def.optimal_fiber_length;
  p.tendon_slack_length = def.tendon_slack_length;
  p.pennation_angle_at_optimal = def.pennation_angle_at_optimal;
  p.max_contraction_velocity = 10.0;
  p.tendon_strain_at_one_norm_force = 0.033;
  f.part = p;
  f.given = {"max_isometric_force",        "optimal_fiber_length",     "tendon_slack_length",
             "pennation_angle_at_optimal", "max_contraction_velocity", "tendon_strain_at_one_norm_force"};
  return spec;
}

void add_muscles(ModelBuilder& b, char side) {
  for (const MuscleDef& def : detail::muscle_table()) {
    ForceSpec spec = muscle_element(def, side);
    const ForceElement& f = spec.force;
    GeometryPath path;
    int k = 0;
    for (const PointDef& pd : def.points) {
      PathPoint p;
      p.name = f.name + "-P" + std::to_string(++k);
      p.kind = pd.kind;
      spec.point_bodies.push_back({point_body(pd.body, side)});
      spec.point_coordinates.push_back({pd.coordinate.empty() ? std::string() : sided(pd.coordinate, side)});
      switch (pd.kind) {
        case PathPoint::Kind::Fixed: p.location = mirror_point(pd.location, side); break;
        case PathPoint::Kind::Conditional:
          p.location = mirror_point(pd.location, side);
          p.range_min = pd.range_min;
          p.range_max = pd.range_max;
          break;
        case PathPoint::Kind::Moving:
          p.moving_functions[0] = b.add_function(Function::simm_spline(detail::patellar_knots(), pd.x_of_knee));
          p.moving_functions[1] = b.add_function(Function::simm_spline(detail::patellar_knots(), pd.y_of_knee));
          p.moving_functions[2] = b.add_function(Function::constant(side == 'r' ? pd.z : -pd.z));
          break;
      }
      path.points.push_back(std::move(p));
    }
    spec.force.path = std::move(path);
    b.add_force(std::move(spec));
  }
}

// ---- The sciatic nerve (a path that applies no force).
//
// Course (Standring S (ed.), Gray's Anatomy, 41st ed. 2016, chapters on the lumbosacral plexus,
// gluteal region, thigh, knee, leg and foot): the L4-S3 ventral rami form the lumbosacral
// trunk and sacral plexus on the anterior sacrum and piriformis; the sciatic nerve leaves the
// pelvis through the greater sciatic foramen below piriformis, descends behind the hip joint
// (on the obturator internus, gemelli and quadratus femoris, between the greater trochanter
// and the ischial tuberosity), down the posterior thigh on adductor magnus under biceps
// femoris, divides at the apex of the popliteal fossa; its tibial division crosses the fossa
// behind the knee, runs deep to soleus behind tibialis posterior, passes behind the medial
// malleolus in the tarsal tunnel (between flexor digitorum longus and flexor hallucis longus)
// and enters the sole as the medial plantar nerve. One line stands for the whole tract: the
// L4/L5 root, the lumbosacral trunk, sciatic, tibial and medial plantar nerves.
//
// Points are femur's, placed on that course in gait2392's body frames beside the gait2392
// muscle points the nerve runs with (piriformis at the notch, the hamstring origins, the
// gastrocnemius heads, tibialis posterior / FDL / FHL behind the malleolus and under the
// sustentaculum). Behind the hip the nerve is held off the joint by the posterior wall,
// capsule and short external rotators: a cylinder about the hip flexion axis at the hip
// centre, radius 4 cm (femur's estimate: femoral head radius about 2.5 cm plus those layers),
// keeps the nerve behind the hip centre at every flexion angle, so hip flexion lengthens it
// by about 4 cm per radian once it wraps; the wrap frame is turned 45 degrees about z so that
// its -x half (the side the nerve may wrap) faces backwards and down. Knee flexion shortens
// the path (its points pass 3 cm behind the knee axis) and ankle dorsiflexion lengthens it
// (it passes behind the ankle axis with tibialis posterior), as in a straight-leg raise
// (Coppieters et al. 2006, J Orthop Res 24:1883-1889).
//
// PathSpring (OpenSim/Simulation/Model/PathSpring.cpp): resting_length must be positive
// (extendFinalizeFromProperties), stiffness and dissipation have no default (NaN) and must be
// given. stiffness 0 and appliesForce false: it applies no force whether enabled or not; its
// resting length is the path length in the default pose, set by build_hip_model().
constexpr double kHipWrapRadius = 0.04;

std::vector<PointDef> sciatic_nerve_points() {
  const auto at = [](std::string body, double x, double y, double z) {
    PointDef d;
    d.body = std::move(body);
    d.location = Vec3(x, y, z);
    return d;
  };
  return {
      // L4/L5 intervertebral foramen, 4 cm above L5/S1 (the torso origin), behind the disc.
      at("torso", -0.02, 0.04, 0.025),
      // Over the sacral ala at the S1 anterior foramen (L5/S1 is at pelvis (-0.1007, 0.0815, 0)).
      at("pelvis", -0.108, 0.058, 0.032),
      // Sacral plexus on piriformis, S2-S3 level.
      at("pelvis", -0.128, 0.015, 0.05),
      // Greater sciatic foramen below piriformis (gait2392's piriformis passes the notch at
      // (-0.1193, -0.0276, 0.0657)).
      at("pelvis", -0.12, -0.035, 0.068),
      // Behind quadratus femoris, between greater trochanter and ischial tuberosity.
      at("femur", -0.045, -0.06, -0.005),
      // Posterior thigh on adductor magnus, mid-shaft.
      at("femur", -0.03, -0.22, 0.0),
      // Apex of the popliteal fossa, behind the femoral condyles (gait2392's gastrocnemius
      // heads arise at (-0.019, -0.393, -0.024) and (-0.022, -0.395, 0.027)).
      at("femur", -0.035, -0.37, 0.0),
      // Between the gastrocnemius heads, entering the soleal arch.
      at("tibia", -0.035, -0.05, 0.0),
      // Deep to soleus, behind tibialis posterior (origin (-0.009, -0.135, 0.002)).
      at("tibia", -0.025, -0.2, -0.005),
      // Behind the medial malleolus between FDL and FHL (gait2392: (-0.0154, -0.4051, -0.0196)
      // and (-0.0186, -0.4079, -0.0174)).
      at("tibia", -0.022, -0.405, -0.02),
      // Tarsal tunnel under the sustentaculum tali.
      at("calcn", 0.04, 0.028, -0.026),
      // Medial plantar nerve in the sole.
      at("calcn", 0.09, 0.01, -0.024),
  };
}

void add_sciatic_nerve(ModelBuilder& b, char side) {
  WrapObject hip;
  hip.kind = WrapSurface::Kind::Cylinder;
  hip.name = sided("sciatic_hip", side);
  hip.translation = mirror_point(Vec3(-0.0707, -0.0661, 0.0835), side);  // the hip centre
  hip.xyz_body_rotation = Vec3(0, 0, 0.78539816);  // a rotation about z mirrors to itself
  hip.quadrant = WrapQuadrant{0, -1};               // -x
  hip.radius = kHipWrapRadius;
  hip.length = 0.12;
  b.add_wrap_object(hip, NameRef{"pelvis"});

  ForceSpec spec;
  ForceElement& f = spec.force;
  f.type = "PathSpring";
  f.name = side == 'r' ? kSciaticNerveRight : kSciaticNerveLeft;
  f.applies_force = false;
  // resting_length 1 is replaced by the neutral length in build_hip_model().
  f.part = PathSpring{1.0, 0.0, 0.0};
  f.given = {"dissipation", "resting_length", "stiffness"};
  GeometryPath path;
  int k = 0;
  for (const PointDef& pd : sciatic_nerve_points()) {
    PathPoint p;
    p.name = f.name + "-P" + std::to_string(++k);
    p.location = mirror_point(pd.location, side);
    spec.point_bodies.push_back({point_body(pd.body, side)});
    spec.point_coordinates.emplace_back();
    path.points.push_back(std::move(p));
  }
  // The hip cylinder acts between the notch (point 4) and the first femur point (5).
  PathWrap w;
  w.range_begin = 4;
  w.range_end = 5;
  path.wraps.push_back(w);
  spec.wrap_objects.push_back({hip.name});
  f.path = std::move(path);
  b.add_force(std::move(spec));
}

// resting_length = the path length in the default pose (anatomical neutral: every joint at 0).
void set_nerve_resting_lengths(Model& model) {
  const PathSet& paths = model.paths;
  Data data(model);
  PathData out(model, paths);
  compute_paths(model, paths, data, model.default_q(), out);
  for (const char* name : {kSciaticNerveRight, kSciaticNerveLeft}) {
    const int p = paths.path_index(name);
    if (p < 0) throw std::logic_error(std::string("build_hip_model: no path for ") + name);
    std::get<PathSpring>(model.forces[static_cast<size_t>(paths.paths[static_cast<size_t>(p)].force)].part)
        .resting_length = out.length[p];
  }
}

}  // namespace

Model build_hip_model() {
  ModelBuilder b;
  b.set_name(kHipModelName);
  // The attribution CC BY 3.0 asks for travels inside the exported .osim (models/README.md
  // has the full list of sources).
  b.set_credits(
      "femur's built-in hip, pelvis and low-back model (femur::hip::build_hip_model). Skeleton, joints and leg "
      "muscles from the OpenSim gait2392 model by Delp S.L., Loan J.P., Hoy M.G., Zajac F.E., Topp E.L., Rosen J.M., "
      "Thelen D.G., Anderson F.C., Seth A., licensed Creative Commons CC BY 3.0 "
      "(http://creativecommons.org/licenses/by/3.0/); psoas origin, trunk muscles, DeGrooteFregly2016 muscles and the "
      "sciatic nerve path added by femur, each with its source in models/README.md.");
  b.set_publications(
      "Delp S.L. et al. (1990) An interactive graphics-based model of the lower extremity to study orthopaedic "
      "surgical procedures. IEEE Trans Biomed Eng 37:757-767. Anderson F.C., Pandy M.G. (1999) Comput Methods Biomech "
      "Biomed Eng 2:201-231; (2001) J Biomech Eng 123:381-390. Yamaguchi G.T., Zajac F.E. (1989) J Biomech 22:1-10. "
      "De Groote F. et al. (2016) Ann Biomed Eng 44:2922-2936.");
  add_bodies(b);
  add_trunk_joints(b);
  for (const char side : {'r', 'l'}) add_leg_joints(b, side);
  for (const char side : {'r', 'l'}) add_muscles(b, side);
  for (const char side : {'r', 'l'}) add_sciatic_nerve(b, side);
  Model model = std::move(b).build();
  set_nerve_resting_lengths(model);
  return model;
}

std::vector<std::string> hip_muscle_names(char side) {
  if (side != 'r' && side != 'l') throw std::invalid_argument("hip_muscle_names: side must be 'r' or 'l'");
  std::vector<std::string> names;
  const auto& table = detail::muscle_table();
  for (int i = 0; i < detail::hip_muscle_count(); ++i) names.push_back(sided(table[i].name, side));
  return names;
}

}  // namespace femur::hip
