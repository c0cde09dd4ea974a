// `femur inverse` on bad input (issue 16): a guess with NaN or outside the bounds, a solver
// that hits its iteration limit, an infeasible problem. Each: a message naming what is wrong
// (which constraint, which time), a non-zero exit, and no output unless --write-failed.
#include <filesystem>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

std::string q(const fs::path& p) { return "\"" + p.string() + "\""; }

// Moco's MocoInverse problem on 0.45-0.55 s (4 intervals) with `model`.
std::string inverse_args(const fs::path& model, const fs::path& out, const std::string& extra) {
  const fs::path d = test::opensim_file("Moco/MocoInverse");
  return "inverse --model " + q(model) + " --coordinates " + q(d / "subject_walk_armless_coordinates.mot") +
         " --external-loads " + q(d / "subject_walk_armless_external_loads.xml") +
         " --lowpass 6 --t0 0.45 --t1 0.55 --weld subtalar_r,subtalar_l,mtp_r,mtp_l --ignore-passive-fiber -o " +
         q(out) + " " + extra;
}

fs::path moco_model() { return test::opensim_file("Moco/MocoInverse/subject_walk_armless_18musc.osim"); }

TEST(InverseCli, SolvesAndWritesMocosLayout) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("inverse_ok");
  const test::CliRun r = test::run_cli(inverse_args(moco_model(), dir / "sol.sto", ""));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("inverse: solved"), std::string::npos) << r.out;
  const std::string text = test::read_text(dir / "sol.sto");
  EXPECT_NE(text.find("num_controls=33"), std::string::npos);
  EXPECT_NE(text.find("success=true"), std::string::npos);
  EXPECT_NE(text.find("/forceset/soleus_r/normalized_tendon_force"), std::string::npos);
}

TEST(InverseCli, IterationLimitIsAFailureWithNoOutput) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("inverse_iter");
  const test::CliRun r = test::run_cli(inverse_args(moco_model(), dir / "sol.sto", "--max-iterations 3"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("femur: error: inverse: maximum number of iterations exceeded (3 iterations"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("largest constraint violation"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing written (--write-failed writes the last iterate)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "sol.sto"));
  // --write-failed: the last iterate is written, marked, and the exit is still non-zero.
  const test::CliRun w =
      test::run_cli(inverse_args(moco_model(), dir / "sol.sto", "--max-iterations 3 --write-failed"));
  EXPECT_EQ(w.exit_code, 1);
  EXPECT_NE(w.err.find("the last iterate was written to"), std::string::npos) << w.err;
  ASSERT_TRUE(fs::exists(dir / "sol.sto"));
  EXPECT_NE(test::read_text(dir / "sol.sto").find("success=false"), std::string::npos);
}

TEST(InverseCli, InfeasibleProblemNamesTheConstraintAndTime) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  // Every muscle 5 N strong: the knees and ankles (no reserves) cannot follow the motion.
  const fs::path dir = test::temp_dir("inverse_infeasible");
  const std::string osim = std::regex_replace(test::read_text(moco_model()),
                                              std::regex("<max_isometric_force>[0-9.]+</max_isometric_force>"),
                                              "<max_isometric_force>5</max_isometric_force>");
  test::write_text(dir / "weak.osim", osim);
  const test::CliRun r = test::run_cli(inverse_args(dir / "weak.osim", dir / "sol.sto", "--max-iterations 300"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.find("infeasib") != std::string::npos ||
              r.err.find("maximum number of iterations exceeded") != std::string::npos)
      << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("inverse-dynamics residual of coordinate '(knee|ankle)_angle_[rl]' "
                                                  "at t = 0\\.[0-9]+ s")))
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "sol.sto"));
}

TEST(InverseCli, GuessWithNaNIsRefusedAtItsLine) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("inverse_nan");
  test::write_text(dir / "guess.sto",
                   "version=1\nnRows=2\nnColumns=2\ninDegrees=no\nendheader\ntime\t/forceset/soleus_r/activation\n"
                   "0.45\t0.1\n0.55\tnan\n");
  const test::CliRun r =
      test::run_cli(inverse_args(moco_model(), dir / "sol.sto", "--guess " + q(dir / "guess.sto")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("guess.sto:8:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "sol.sto"));
}

TEST(InverseCli, GuessOutsideTheBoundsIsRefused) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("inverse_bounds");
  test::write_text(dir / "guess.sto",
                   "version=1\nnRows=2\nnColumns=2\ninDegrees=no\nendheader\ntime\t/forceset/soleus_r/activation\n"
                   "0.45\t2\n0.55\t2\n");
  const test::CliRun r =
      test::run_cli(inverse_args(moco_model(), dir / "sol.sto", "--guess " + q(dir / "guess.sto")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("femur: error: inverse: guess column '/forceset/soleus_r/activation' is 2 at t = 0.45 s, "
                       "outside its bounds [0.01, 1]"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "sol.sto"));
}

}  // namespace
}  // namespace femur
