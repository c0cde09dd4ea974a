// 2D gait collocation (ocp/gait_collocation.hpp) on Moco's example2DWalking: the exact
// derivatives of the whole problem (implicit dynamics with contact, surrogate paths, muscles,
// every goal and constraint kind) against central differences, and the bad inputs.
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include <gtest/gtest.h>

#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/ocp/gait_collocation.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

struct GaitInputs {
  Model model;
  io::Table coords, grf;
};

GaitInputs load() {
  GaitInputs in;
  in.model = io::read_osim(test::opensim_file("Moco/example2DWalking/2D_gait.osim"));
  in.coords = io::read_sto(test::opensim_file("Moco/example2DWalking/referenceCoordinates.sto"));
  in.grf = io::read_sto(test::opensim_file("Moco/example2DWalking/referenceGRF.sto"));
  return in;
}

ocp::GaitProblem tracking(const GaitInputs& in, int intervals) {
  ocp::GaitProblem pb;
  pb.final_time = in.coords.time[in.coords.rows() - 1];
  pb.mesh_intervals = intervals;
  pb.states_reference = &in.coords;
  pb.lowpass_hz = 6.0;
  pb.states_weight = 10.0;
  pb.track_speeds = true;
  pb.grf_reference = &in.grf;
  pb.grf_groups = {{{"contactHeel_r", "contactFront_r"}, "ground_force_r_v"},
                   {{"contactHeel_l", "contactFront_l"}, "ground_force_l_v"}};
  pb.grf_weight = 1e-3;
  pb.effort_weight = 10.0;
  return pb;
}

TEST(GaitCollocation, TrackingDerivativesMatchCentralDifferences) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const GaitInputs in = load();
  ocp::GaitProblem pb = tracking(in, 4);
  pb.periodic_pairs = {{"/jointset/hip_r/hip_flexion_r/value", "/jointset/hip_l/hip_flexion_l/value"},
                       {"/forceset/soleus_r/activation", "/forceset/soleus_l/activation"},
                       {"/forceset/lumbarAct", "/forceset/lumbarAct"}};
  const ocp::DerivativeCheck c = ocp::check_gait_derivatives(in.model, pb);
  std::printf("tracking: Jacobian error %.2e (row %d, column %d: %g vs %g), gradient error %.2e\n",
              c.max_jacobian_error, c.worst_row, c.worst_column, c.analytic, c.numeric, c.max_gradient_error);
  // Central differences with h = 1e-6 on values up to ~1e4 N: ~1e-5 relative is rounding.
  EXPECT_LT(c.max_jacobian_error, 1e-4);
  EXPECT_LT(c.max_gradient_error, 1e-4);
}

TEST(GaitCollocation, PredictionDerivativesMatchCentralDifferences) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const GaitInputs in = load();
  ocp::GaitProblem pb;
  pb.mesh_intervals = 4;
  pb.free_final_time = true;
  pb.final_time = 0.47;
  pb.final_time_lo = 0.4;
  pb.final_time_hi = 0.6;
  pb.effort_exponent = 3.0;
  pb.effort_divide_by_displacement = true;
  pb.average_speed = 1.2;
  // The guess: the reference coordinates as a trajectory (names by Moco path).
  pb.guess = &in.coords;
  pb.coordinate_bounds = {{"pelvis_tx", {0.0, 1.0}}, {"pelvis_ty", {0.75, 1.25}}};
  pb.periodic_pairs = {{"/jointset/groundPelvis/pelvis_tx/speed", "/jointset/groundPelvis/pelvis_tx/speed"}};
  const ocp::DerivativeCheck c = ocp::check_gait_derivatives(in.model, pb);
  std::printf("prediction: Jacobian error %.2e (row %d, column %d), gradient error %.2e\n", c.max_jacobian_error,
              c.worst_row, c.worst_column, c.max_gradient_error);
  EXPECT_LT(c.max_jacobian_error, 1e-4);
  EXPECT_LT(c.max_gradient_error, 1e-4);
}

// The exact Hessian of the Lagrangian (nested dual numbers per node, the coupling terms of the
// final time and of the effort divided by the displacement) against central differences of the
// Lagrangian's gradient, for a tracking problem (GRF and state tracking, pairs) and a
// predictive one (free final time, effort exponent 3 over the displacement, average speed).
TEST(GaitCollocation, TrackingHessianMatchesCentralDifferences) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const GaitInputs in = load();
  ocp::GaitProblem pb = tracking(in, 4);
  pb.periodic_pairs = {{"/jointset/hip_r/hip_flexion_r/value", "/jointset/hip_l/hip_flexion_l/value"},
                       {"/forceset/lumbarAct", "/forceset/lumbarAct"}};
  const double e = ocp::check_gait_hessian(in.model, pb);
  std::printf("tracking: Hessian error %.2e\n", e);
  EXPECT_LT(e, 1e-4);
}

TEST(GaitCollocation, PredictionHessianMatchesCentralDifferences) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const GaitInputs in = load();
  ocp::GaitProblem pb;
  pb.mesh_intervals = 4;
  pb.free_final_time = true;
  pb.final_time = 0.47;
  pb.final_time_lo = 0.4;
  pb.final_time_hi = 0.6;
  pb.effort_exponent = 3.0;
  pb.effort_divide_by_displacement = true;
  pb.average_speed = 1.2;
  pb.guess = &in.coords;
  pb.coordinate_bounds = {{"pelvis_tx", {0.0, 1.0}}, {"pelvis_ty", {0.75, 1.25}}};
  const double e = ocp::check_gait_hessian(in.model, pb);
  std::printf("prediction: Hessian error %.2e\n", e);
  EXPECT_LT(e, 1e-4);
}

TEST(GaitCollocation, BadInputsNameWhatIsWrong) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const GaitInputs in = load();
  auto message = [&](const ocp::GaitProblem& pb) {
    try {
      ocp::check_gait_derivatives(in.model, pb);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  ocp::GaitProblem pb = tracking(in, 2);
  pb.periodic_pairs = {{"/jointset/hip_r/hip_flexion_x/value", "/jointset/hip_l/hip_flexion_l/value"}};
  EXPECT_EQ(message(pb), "periodicity pair: no variable named '/jointset/hip_r/hip_flexion_x/value'");
  pb = tracking(in, 2);
  pb.final_time = 0.9;
  EXPECT_EQ(message(pb), "time range [0, 0.9] s is not within the states reference's [0, 0.47008941] s");
  pb = tracking(in, 2);
  pb.coordinate_bounds = {{"pelvis_tilt", {-0.1, 0.0}}};  // the reference guess is at -0.26 rad
  pb.guess = &in.coords;
  EXPECT_EQ(message(pb),
            "guess column '/jointset/groundPelvis/pelvis_tilt/value' = -0.263901172 at t = 0 s is outside its bounds "
            "[-0.1, 0]");
  io::Table nan_guess = in.coords;
  nan_guess.data(3, 1) = std::numeric_limits<double>::quiet_NaN();
  pb = tracking(in, 2);
  pb.guess = &nan_guess;
  EXPECT_EQ(message(pb), "guess column '/jointset/groundPelvis/pelvis_tx/value' is not finite at t = 0.02878098 s");
}

}  // namespace
}  // namespace femur

namespace femur {
namespace {

double body_weight(const Model& model) {
  double m = 0.0;
  for (const Body& b : model.bodies) m += b.mass;
  return m * model.gravity.norm();
}

// The walking test accepts the reference gait (Falisse et al. 2019's predicted GRF, half a
// cycle) and refuses a hop (both feet together, one peak) and a shuffle (feet never unload).
TEST(GaitCollocation, WalkCheckAcceptsTheReferenceAndRefusesHopsAndShuffles) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const GaitInputs in = load();
  const double bw = body_weight(in.model);
  const Eigen::VectorXd r = in.grf.data.col(in.grf.column("ground_force_r_vy"));
  const Eigen::VectorXd l = in.grf.data.col(in.grf.column("ground_force_l_vy"));
  const ocp::WalkCheck ok = ocp::check_walking(r, l, bw);
  std::printf("reference: peaks %d (%.2f, %.2f BW, valley %.2f), right %.2f-%.2f, left %.2f-%.2f BW\n", ok.peaks,
              ok.peak_first, ok.peak_second, ok.valley, ok.min_right, ok.max_right, ok.min_left, ok.max_left);
  EXPECT_TRUE(ok.walks) << ok.reason;
  const Eigen::VectorXd both = 0.5 * (r + l);
  const ocp::WalkCheck hop = ocp::check_walking(both, both, bw);
  EXPECT_FALSE(hop.walks);
  const Eigen::VectorXd shuffle = (0.5 * (r + l)).array() + 0.2 * bw;
  EXPECT_FALSE(ocp::check_walking(shuffle, shuffle, bw).walks);
  // The same gait with its half cycle starting at another phase (a predicted gait is free to
  // shift): still walking. Shifts of 1-4 nodes put the right heel strike at the window's start,
  // so that the right foot's half cycle holds no swing at all (a check of each half cycle alone
  // refused them, and the exact Hessian's prediction with them).
  const Eigen::Index N = r.size() - 1;
  Eigen::VectorXd cycle_r(2 * N + 1), cycle_l(2 * N + 1);
  cycle_r << r, l.tail(N);
  cycle_l << l, r.tail(N);
  for (Eigen::Index shift : {Eigen::Index{2}, Eigen::Index{4}, N / 2, 4 * N / 5}) {
    const ocp::WalkCheck w = ocp::check_walking(cycle_r.segment(shift, N + 1), cycle_l.segment(shift, N + 1), bw);
    EXPECT_TRUE(w.walks) << "shift " << shift << ": " << w.reason;
    EXPECT_EQ(w.peaks, 2) << "shift " << shift;
  }
}

}  // namespace
}  // namespace femur
