// The batch runner (tools/batch.hpp) without OpenSim data: which files are trials, manifest
// errors with their line, the summary's quoting, and failed trials reported, not thrown.
// Runs with real trials (results, resume after kill -9, dask) are in python/tests/test_batch.py.
#include "femur/tools/batch.hpp"

#include <gtest/gtest.h>

#include "femur/io/error.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

const char* kIdSetup =
    "<OpenSimDocument Version=\"30000\"><InverseDynamicsTool name=\"t\">\n"
    "<model_file>no_such_model.osim</model_file>\n"
    "<coordinates_file>coords.mot</coordinates_file>\n"
    "</InverseDynamicsTool></OpenSimDocument>\n";

void put(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  test::write_text(file, text);
}

std::string parse_error_of(const fs::path& manifest) {
  try {
    tools::read_batch_manifest(manifest);
  } catch (const io::ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(BatchTrials, AreTheToolSetupsAndTheXmlFilesThatDoNotParse) {
  const fs::path dir = test::temp_dir("batch-find");
  put(dir / "b" / "setup_id.xml", kIdSetup);
  put(dir / "a" / "broken.xml", "<OpenSimDocument><InverseDynamicsTool>");
  put(dir / "a" / "model.xml", "<OpenSimDocument Version=\"40000\"><Model name=\"m\"/></OpenSimDocument>");
  put(dir / ".femur-batch" / "hidden.xml", kIdSetup);
  put(dir / "a" / "notes.txt", "x");
  const tools::BatchPlan plan = tools::find_batch_trials(dir);
  ASSERT_EQ(plan.trials.size(), 2u);
  EXPECT_EQ(plan.trials[0].id, "a/broken.xml");
  EXPECT_EQ(plan.trials[1].id, "b/setup_id.xml");
  EXPECT_THROW(tools::find_batch_trials(dir / "a" / "notes.txt"), std::runtime_error);
}

TEST(BatchManifest, ErrorsNameTheManifestAndLine) {
  const fs::path dir = test::temp_dir("batch-manifest");
  put(dir / "no_setup.csv", "id,out_dir\na,b\n");
  EXPECT_EQ(parse_error_of(dir / "no_setup.csv"), (dir / "no_setup.csv").string() + ":1: the header names no 'setup' column");
  put(dir / "short.csv", "setup,out_dir\nx.xml,o\ny.xml\n");
  EXPECT_EQ(parse_error_of(dir / "short.csv"), (dir / "short.csv").string() + ":3: 1 fields, the header has 2");
  put(dir / "twice.csv", "id,setup\na,x.xml\na,y.xml\n");
  EXPECT_EQ(parse_error_of(dir / "twice.csv"), (dir / "twice.csv").string() + ":3: trial 'a' listed twice");
  put(dir / "ok.json", R"({"trials": [{"setup": "s/x.xml", "out_dir": "o"}, {"setup": "/abs/y.xml"}]})");
  const tools::BatchPlan plan = tools::read_batch_manifest(dir / "ok.json");
  ASSERT_EQ(plan.trials.size(), 2u);
  EXPECT_EQ(plan.trials[0].setup, dir / "s/x.xml");
  EXPECT_EQ(plan.trials[0].output_directory, dir / "o");
  EXPECT_EQ(plan.trials[1].setup, fs::path("/abs/y.xml"));
  EXPECT_TRUE(plan.trials[1].output_directory.empty());
}

TEST(BatchRun, AFailedTrialIsReportedAndTheOthersRun) {
  const fs::path dir = test::temp_dir("batch-run");
  put(dir / "t1" / "setup.xml", kIdSetup);
  put(dir / "t2" / "setup.xml", "<OpenSimDocument><InverseDynamicsTool>");
  const tools::BatchPlan plan = tools::find_batch_trials(dir);
  tools::BatchOptions options;
  options.threads = 2;
  const tools::BatchResult r = tools::run_batch(plan, options);
  ASSERT_EQ(r.trials.size(), 2u);
  EXPECT_EQ(r.count(tools::TrialStatus::failed), 2);
  EXPECT_NE(r.trials[0].error.find("no_such_model.osim"), std::string::npos) << r.trials[0].error;
  EXPECT_EQ(r.trials[1].error.rfind((dir / "t2" / "setup.xml").string() + ":", 0), 0u) << r.trials[1].error;
  EXPECT_FALSE(fs::exists(dir / ".femur-batch"));  // nothing recorded complete
}

// Real trials on two threads (also what `make test-tsan` checks for data races): inverse
// dynamics of the Gait2354 walk, four trials in their own folders. Each result equals the
// trial run alone; a rerun skips them all; a changed output is redone.
TEST(BatchRun, GoodTrialsEqualSingleRunsAndAreSkippedOnRerun) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = test::temp_dir("batch-id");
  const std::string p = "Pipelines/Gait2354_Simbody/";
  for (int i = 0; i < 4; ++i)
    put(dir / ("t" + std::to_string(i)) / "setup.xml",
        "<OpenSimDocument Version=\"30000\"><InverseDynamicsTool name=\"t\">\n"
        "<results_directory>results</results_directory>\n<forces_to_exclude>Muscles</forces_to_exclude>\n"
        "<model_file>" + test::opensim_file(p + "OutputReference/subject01_simbody.osim").string() + "</model_file>\n"
        "<time_range>0.5 " + std::to_string(1.0 + 0.1 * i) + "</time_range>\n"
        "<external_loads_file>" + test::opensim_file(p + "subject01_walk1_grf.xml").string() + "</external_loads_file>\n"
        "<coordinates_file>" + test::opensim_file(p + "OutputReference/subject01_walk1_ik.mot").string() +
        "</coordinates_file>\n<lowpass_cutoff_frequency_for_coordinates>6</lowpass_cutoff_frequency_for_coordinates>\n"
        "<output_gen_force_file>id.sto</output_gen_force_file>\n</InverseDynamicsTool></OpenSimDocument>\n");
  const tools::BatchPlan plan = tools::find_batch_trials(dir);
  ASSERT_EQ(plan.trials.size(), 4u);
  tools::BatchOptions options;
  options.threads = 2;
  tools::BatchResult r = tools::run_batch(plan, options);
  ASSERT_EQ(r.count(tools::TrialStatus::ok), 4) << tools::format_batch_summary_csv(r);
  for (const auto& trial : plan.trials) {
    const fs::path alone = test::temp_dir("batch-id-alone");
    tools::run_trial({trial.id, trial.setup, alone});
    EXPECT_EQ(test::read_text(alone / "id.sto"), test::read_text(trial.setup.parent_path() / "results" / "id.sto"))
        << trial.id;
  }
  r = tools::run_batch(plan, options);
  EXPECT_EQ(r.count(tools::TrialStatus::skipped), 4);
  test::write_text(dir / "t2" / "results" / "id.sto", "damaged");
  r = tools::run_batch(plan, options);
  EXPECT_EQ(r.count(tools::TrialStatus::skipped), 3);
  EXPECT_EQ(r.trials[2].status, tools::TrialStatus::ok);
  EXPECT_NE(test::read_text(dir / "t2" / "results" / "id.sto"), "damaged");
}

TEST(BatchSummary, QuotesFieldsAsCsv) {
  tools::BatchResult r;
  r.trials.push_back({"a,b.xml", tools::TrialStatus::failed, 1.5, "file:3: bad \"x\"\nmore", {}});
  r.trials.push_back({"c.xml", tools::TrialStatus::skipped, 0.0, "", {}});
  EXPECT_EQ(tools::format_batch_summary_csv(r),
            "setup,status,seconds,error\n\"a,b.xml\",failed,1.500,\"file:3: bad \"\"x\"\" more\"\nc.xml,skipped,0.000,\n");
}

}  // namespace
}  // namespace femur
