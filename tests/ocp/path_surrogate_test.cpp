// Polynomial path surrogates (ocp/path_surrogate.hpp) of 2D_gait.osim's 18 muscles against
// femur's exact paths: length RMS <= 3 mm (the accuracy Moco and PredSim accept; measured
// below 1 mm, see docs/validation.md) and exact derivatives against central differences.
#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "femur/io/osim_reader.hpp"
#include "femur/ocp/path_surrogate.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

TEST(PathSurrogate, FitsEveryGaitMuscleWithinThreeMillimetres) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = io::read_osim(test::opensim_file("Moco/example2DWalking/2D_gait.osim"));
  Eigen::VectorXd lo(model.nq), hi(model.nq);
  for (int k = 0; k < model.nq; ++k) {
    lo[k] = std::max(model.coordinates[static_cast<size_t>(k)].range_min, -1.6);
    hi[k] = std::min(model.coordinates[static_cast<size_t>(k)].range_max, 1.6);
  }
  std::vector<int> paths;
  for (int p = 0; p < model.paths.size(); ++p) paths.push_back(p);
  const auto s = ocp::fit_path_surrogates(model, paths, lo, hi);
  ASSERT_EQ(s.size(), 18u);
  for (const auto& m : s) {
    std::printf("%-14s dims %d order %d  length RMS %.3f mm (max %.3f)  moment arm RMS %.3f mm\n", m.name.c_str(),
                m.dimension(), m.order, 1e3 * m.rms_length_error, 1e3 * m.max_length_error,
                1e3 * m.rms_moment_arm_error);
    EXPECT_GE(m.dimension(), 1) << m.name;
    EXPECT_LE(m.rms_length_error, 3e-3) << m.name;
    // Gradient and Hessian against central differences.
    Eigen::VectorXd q = 0.5 * (lo + hi);
    q += 0.1 * Eigen::VectorXd::Ones(model.nq);
    const int d = m.dimension();
    std::vector<double> g(static_cast<size_t>(d)), h(static_cast<size_t>(d * d)), gp(static_cast<size_t>(d)),
        gm(static_cast<size_t>(d));
    m.evaluate(q.data(), g.data(), h.data());
    for (int j = 0; j < d; ++j) {
      Eigen::VectorXd qp = q, qm = q;
      qp[m.coordinates[static_cast<size_t>(j)]] += 1e-6;
      qm[m.coordinates[static_cast<size_t>(j)]] -= 1e-6;
      const double lp = m.evaluate(qp.data(), gp.data(), nullptr), lm = m.evaluate(qm.data(), gm.data(), nullptr);
      EXPECT_NEAR(g[static_cast<size_t>(j)], (lp - lm) / 2e-6, 1e-7);
      for (int i = 0; i < d; ++i)
        EXPECT_NEAR(h[static_cast<size_t>(i * d + j)], (gp[static_cast<size_t>(i)] - gm[static_cast<size_t>(i)]) / 2e-6, 1e-6);
    }
  }
}

}  // namespace
}  // namespace femur
