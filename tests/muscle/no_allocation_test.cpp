// "Hot loops do not allocate" (STYLE.md section 6) as a test, not only a benchmark counter:
// after one warm-up call, N calls of forward kinematics, joint Jacobians, RNEA, CRBA, ABA,
// path lengths + moment arms (gait2392's 92 paths; arm26's wrapping paths) and the muscle
// forces of every muscle model must not touch the heap.
//
// The counter interposes malloc, calloc and realloc for the whole test binary (glibc lets a
// program do that; Eigen's dynamic matrices and operator new both end there, as in
// bench/bench_support.cpp). It only counts and always allocates through glibc, so the other
// tests of this binary are unaffected. Under AddressSanitizer, which owns malloc itself, the
// counter is not installed and these tests are not compiled (nor under ThreadSanitizer), so a
// sanitizer pass lists no skipped test.
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "femur/dynamics/aba.hpp"
#include "femur/dynamics/crba.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "femur/muscle/passive_forces.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FEMUR_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define FEMUR_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef FEMUR_COUNT_ALLOCATIONS
#define FEMUR_COUNT_ALLOCATIONS 1
#endif

#if FEMUR_COUNT_ALLOCATIONS
namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

extern "C" void* __libc_malloc(std::size_t size);
extern "C" void* __libc_calloc(std::size_t n, std::size_t size);
extern "C" void* __libc_realloc(void* p, std::size_t size);
extern "C" void* malloc(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
extern "C" void* calloc(std::size_t n, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(n, size);
}
extern "C" void* realloc(void* p, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, size);
}
// Over-aligned operator new and aligned allocations end in these.
extern "C" void* __libc_memalign(std::size_t alignment, std::size_t size);
extern "C" void* memalign(std::size_t alignment, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, size);
}
extern "C" void* aligned_alloc(std::size_t alignment, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, size);
}
extern "C" int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(alignment, size);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
#endif

#if FEMUR_COUNT_ALLOCATIONS
namespace femur {
namespace {

constexpr int kCalls = 64;

// Heap allocations made by `call(k)` for k = 1..kCalls, after one warm-up call(0) (which may
// size lazily grown workspaces, as wrap memory does).
std::size_t allocations_of(const std::function<void(int)>& call) {
  call(0);
  const std::size_t before = g_allocations.load(std::memory_order_relaxed);
  for (int k = 1; k <= kCalls; ++k) call(k);
  return g_allocations.load(std::memory_order_relaxed) - before;
}


// The counter itself must see an allocation, or a zero below proves nothing.
TEST(NoAllocation, TheCounterSeesEigenAndOperatorNew) {
  std::size_t n = allocations_of([](int k) {
    Eigen::VectorXd v(100 + k);
    v.setZero();
    volatile double s = v.sum();
    (void)s;
  });
  EXPECT_EQ(n, static_cast<std::size_t>(kCalls));
  n = allocations_of([](int k) {
    std::vector<int> v(static_cast<std::size_t>(10 + k));
    volatile int s = v[0];
    (void)s;
  });
  EXPECT_EQ(n, static_cast<std::size_t>(kCalls));
  struct alignas(128) Wide {  // over-aligned: operator new(size, align_val_t)
    double x[4];
  };
  [[maybe_unused]] static Wide* volatile escape = nullptr;  // so the compiler cannot elide the allocation
  n = allocations_of([](int k) {
    auto w = std::make_unique<Wide>();
    w->x[0] = k;
    escape = w.get();
  });
  EXPECT_EQ(n, static_cast<std::size_t>(kCalls));
}

struct Gait2392 {
  Model model;
  std::vector<test::State> states;
};

const Gait2392& gait2392() {
  static const Gait2392 g = [] {
    Gait2392 f;
    f.model = test::load_opensim_model("Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
    for (unsigned s = 0; s <= kCalls; ++s) f.states.push_back(test::random_state(f.model, s + 1));
    return f;
  }();
  return g;
}

TEST(NoAllocation, KinematicsAndDynamicsOnGait2392) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Gait2392& g = gait2392();
  const Model& m = g.model;
  Data d(m);
  Matrix3X J(3, m.nv);
  const int toes = m.body_index("toes_r");
  ASSERT_GE(toes, 0);
  const auto& s = g.states;
  EXPECT_EQ(allocations_of([&](int k) { forward_kinematics(m, d, s[k].q); }), 0u) << "forward_kinematics(q)";
  EXPECT_EQ(allocations_of([&](int k) { forward_kinematics(m, d, s[k].q, s[k].qdot, s[k].qddot); }), 0u)
      << "forward_kinematics(q, qdot, qddot)";
  EXPECT_EQ(allocations_of([&](int k) { compute_joint_jacobians(m, d, s[k].q); }), 0u) << "compute_joint_jacobians";
  EXPECT_EQ(allocations_of([&](int k) {
              compute_joint_jacobians(m, d, s[k].q);
              point_jacobian(m, d, toes, Vec3(0.03, 0.0, 0.0), J);
            }),
            0u)
      << "point_jacobian";
  Matrix6X J6(6, m.nv);
  EXPECT_EQ(allocations_of([&](int k) {
              compute_joint_jacobians(m, d, s[k].q);
              frame_jacobian(m, d, toes, Vec3(0.03, 0.0, 0.0), J6);
            }),
            0u)
      << "frame_jacobian";
  EXPECT_EQ(allocations_of([&](int k) { rnea(m, d, s[k].q, s[k].qdot, s[k].qddot); }), 0u) << "rnea";
  EXPECT_EQ(allocations_of([&](int k) { crba(m, d, s[k].q); }), 0u) << "crba";
  EXPECT_EQ(allocations_of([&](int k) { aba(m, d, s[k].q, s[k].qdot, s[k].qddot); }), 0u) << "aba";
}

// Marker positions (inverse kinematics evaluates them every iteration): subject01's 39 markers.
TEST(NoAllocation, MarkerPositionsOnSubject01) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model m = test::load_opensim_model("Models/Gait2392_Simbody/subject01.osim");
  ASSERT_EQ(m.markers.size(), 39u);
  std::vector<test::State> s;
  for (unsigned k = 0; k <= kCalls; ++k) s.push_back(test::random_state(m, 300 + k));
  Data d(m);
  Matrix3X markers(3, static_cast<Eigen::Index>(m.markers.size()));
  EXPECT_EQ(allocations_of([&](int k) {
              forward_kinematics(m, d, s[k].q);
              marker_positions(m, d, markers);
            }),
            0u);
  EXPECT_TRUE(markers.allFinite());
}

// Lengths, speeds and moment arms of every path at each state (q within the coordinate ranges).
void expect_paths_do_not_allocate(const Model& m, const std::vector<test::State>& s) {
  Data d(m);
  PathData pd(m, m.paths);
  EXPECT_EQ(allocations_of([&](int k) { compute_paths(m, m.paths, d, s[k].q, pd); }), 0u)
      << "compute_paths (lengths + moment arms)";
  EXPECT_EQ(allocations_of([&](int k) { compute_paths(m, m.paths, d, s[k].q, s[k].qdot, pd); }), 0u)
      << "compute_paths (lengths + speeds + moment arms)";
  EXPECT_EQ(allocations_of([&](int k) {
              forward_kinematics(m, d, s[k].q);
              compute_path_lengths(m, m.paths, d, s[k].q, pd);
            }),
            0u)
      << "compute_path_lengths";
  ASSERT_TRUE(pd.length.allFinite());
}

TEST(NoAllocation, PathLengthsAndMomentArmsOnGait2392) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Gait2392& g = gait2392();
  ASSERT_EQ(g.model.paths.size(), 92u);
  expect_paths_do_not_allocate(g.model, g.states);
}

// arm26: WrapCylinder and WrapEllipsoid paths, whose wrap memory persists across calls.
TEST(NoAllocation, WrappingPathsOnArm26) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model m = test::load_opensim_model("Tutorials/Computed_Muscle_Control/InverseKinematics/arm26.osim");
  ASSERT_FALSE(m.wrap_objects.empty());
  std::vector<test::State> s;
  for (unsigned k = 0; k <= kCalls; ++k) s.push_back(test::random_state(m, 100 + k));
  expect_paths_do_not_allocate(m, s);
}

// Rigid-tendon forces and fiber equilibrium of all 92 muscles, each muscle model (Thelen and
// Millard from their gait2392 files; DeGroote with gait2392's Thelen geometry).
void expect_muscles_do_not_allocate(const MuscleSet& muscles, const char* what) {
  std::vector<double> L, V;
  for (int i = 0; i < muscles.size(); ++i) {
    const MuscleParameters& p = muscles.parameters(i);
    const double s = 0.8 + 0.4 * ((i * 37) % 92) / 91.0;
    L.push_back(p.tendon_slack_length + s * p.optimal_fiber_length * std::cos(p.pennation_angle_at_optimal));
    V.push_back(((i % 5) - 2) * 0.25 * p.optimal_fiber_length);
  }
  MuscleState st;
  double sum = 0.0;
  EXPECT_EQ(allocations_of([&](int k) {
              for (int i = 0; i < muscles.size(); ++i) {
                rigid_tendon_state(muscles.model(i), L[i], V[i], 0.05 + 0.9 * k / kCalls, st);
                sum += st.tendon_force;
              }
            }),
            0u)
      << what << ": rigid_tendon_state";
  EXPECT_EQ(allocations_of([&](int k) {
              for (int i = 0; i < muscles.size(); ++i) {
                fiber_equilibrium(muscles.model(i), L[i], (k % 2) * V[i], 0.05 + 0.9 * k / kCalls, st);
                sum += st.tendon_force;
              }
            }),
            0u)
      << what << ": fiber_equilibrium";
  EXPECT_TRUE(std::isfinite(sum)) << what;
}

TEST(NoAllocation, MuscleForcesOfEveryModelOnGait2392) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const MuscleSet thelen(gait2392().model);
  ASSERT_EQ(thelen.size(), 92);
  expect_muscles_do_not_allocate(thelen, "Thelen2003");
  const MuscleSet millard(test::load_opensim_model("Models/Gait2392_Simbody/gait2392_millard2012muscle.osim"));
  ASSERT_EQ(millard.size(), 92);
  expect_muscles_do_not_allocate(millard, "Millard2012");
  MuscleSet degroote = thelen;
  for (int i = 0; i < degroote.size(); ++i) {
    const MuscleParameters& t = thelen.parameters(i);
    MuscleParameters p = default_muscle_parameters(MuscleKind::DeGrooteFregly2016);
    p.name = t.name;
    p.max_isometric_force = t.max_isometric_force;
    p.optimal_fiber_length = t.optimal_fiber_length;
    p.tendon_slack_length = t.tendon_slack_length;
    p.pennation_angle_at_optimal = t.pennation_angle_at_optimal;
    p.max_contraction_velocity = t.max_contraction_velocity;
    degroote.set_parameters(i, p);
  }
  expect_muscles_do_not_allocate(degroote, "DeGrooteFregly2016");
}

// The passive forces inverse dynamics adds every frame: a CoordinateLimitForce (the ankle of
// subject01_metabolics_spring) and a PathSpring (subject01_metabolics_path_spring).
TEST(NoAllocation, PassiveForcesOnGait10dof) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  for (const char* file : {"Models/Gait10dof18musc/subject01_metabolics_spring.osim",
                           "Models/Gait10dof18musc/subject01_metabolics_path_spring.osim"}) {
    const Model m = test::load_opensim_model(file);
    const PassiveForceSet set = build_passive_force_set(m);
    ASSERT_EQ(set.coordinate_limits.size() + set.path_springs.size(), 1u) << file;
    std::vector<test::State> s;
    for (unsigned k = 0; k <= kCalls; ++k) s.push_back(test::random_state(m, 200 + k));
    Data d(m);
    PathData pd(m, m.paths);
    Eigen::VectorXd tau = Eigen::VectorXd::Zero(m.nv);
    EXPECT_EQ(allocations_of([&](int k) {
                if (set.needs_paths()) compute_paths(m, m.paths, d, s[k].q, s[k].qdot, pd);
                tau.setZero();
                add_passive_generalized_forces(m, set, s[k].q, s[k].qdot, &pd, tau);
              }),
              0u)
        << file;
    EXPECT_TRUE(tau.allFinite());
  }
}

}  // namespace
}  // namespace femur
#endif  // FEMUR_COUNT_ALLOCATIONS
