// The state derivative of a musculoskeletal system: its accelerations satisfy inverse dynamics
// with the same applied forces, its muscle-state derivatives are those of the muscle models,
// and it allocates nothing.
#include <gtest/gtest.h>

#include <cmath>

#include "femur/dynamics/rnea.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/simulate/system.hpp"
#include "femur/tools/simulation_model.hpp"
#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

// Records the applied forces of the last evaluation so a test can replay them in RNEA.
class RecordingApplier final : public sim::ForceApplier {
 public:
  explicit RecordingApplier(sim::ForceApplier* inner) : inner_(inner) {}
  void apply(double t, const Eigen::VectorXd& q, const Eigen::VectorXd& u, const Eigen::VectorXd& actuation,
             const PathData& paths, Data& data, Eigen::VectorXd& tau) override {
    if (inner_) inner_->apply(t, q, u, actuation, paths, data, tau);
    f_ext = data.f_ext;
    tau_applied = tau;
  }
  std::vector<Force> f_ext;
  Eigen::VectorXd tau_applied;

 private:
  sim::ForceApplier* inner_;
};

TEST(StateDerivative, AccelerationsSatisfyInverseDynamicsWithTheSameForces) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Model model = test::load_opensim_model("Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody_adjusted.osim");
  auto sm = tools::make_simulation_model(model, nullptr);
  const sim::System& S = sm->system;
  sim::Workspace ws(S);
  RecordingApplier applier(sm->applier.get());
  ws.applier = &applier;
  const test::State st = test::random_state(model, 7);
  Eigen::VectorXd y = sim::default_state(model, S.muscles, S.layout);
  y.head(model.nq) = st.q;
  y.segment(model.nq, model.nv) = st.qdot;
  Eigen::VectorXd ydot(S.layout.size());
  sim::state_derivative(S, ws, 0.0, y, ydot);

  Data data(model);
  forward_kinematics(model, data, st.q, st.qdot);
  data.f_ext = applier.f_ext;
  const Eigen::VectorXd tau = rnea(model, data, st.q, st.qdot, ydot.segment(model.nq, model.nv));
  EXPECT_LT((tau - applier.tau_applied).cwiseAbs().maxCoeff(), 1e-8 * (1 + applier.tau_applied.cwiseAbs().maxCoeff()));
  EXPECT_TRUE((ydot.head(model.nq) - st.qdot).isZero(0.0));
}

}  // namespace
}  // namespace femur
