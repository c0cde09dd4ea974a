// femur.batch(path, ...): the batch runner of `femur batch` (tools/batch.hpp) from Python, and
// femur.run_trial for one setup (what femur.dask ships to each worker).
#include "bindings.hpp"
#include "femur/tools/batch.hpp"

namespace femur::python {

namespace {

py::dict trial_dict(const tools::TrialResult& t) {
  std::vector<std::string> files;
  for (const auto& f : t.files_written) files.push_back(f.string());
  return py::dict(py::arg("setup") = t.id, py::arg("status") = tools::trial_status_name(t.status),
                  py::arg("seconds") = t.seconds, py::arg("error") = t.error, py::arg("files_written") = files);
}

tools::BatchPlan plan_of(const std::filesystem::path& input) {
  return std::filesystem::is_directory(input) ? tools::find_batch_trials(input) : tools::read_batch_manifest(input);
}

}  // namespace

void bind_batch(py::module_& m) {
  m.def(
      "batch_trials",
      [](const std::filesystem::path& input) {
        const tools::BatchPlan plan = plan_of(input);
        py::list out;
        for (const auto& t : plan.trials)
          out.append(py::dict(py::arg("id") = t.id, py::arg("setup") = t.setup.string(),
                              py::arg("out_dir") = t.output_directory.string()));
        return py::make_tuple(plan.root.string(), out);
      },
      py::arg("path"),
      "The trials a batch would run: (root, [{id, setup, out_dir}]) of a folder or manifest.\n\n"
      "Example:\n    >>> root, trials = femur.batch_trials(\"study/\")");

  m.def(
      "batch",
      [](const std::filesystem::path& input, int threads, bool resume, std::optional<std::filesystem::path> summary) {
        tools::BatchResult result;
        std::filesystem::path summary_path;
        {
          py::gil_scoped_release release;
          const tools::BatchPlan plan = plan_of(input);
          tools::BatchOptions options;
          options.threads = threads;
          options.resume = resume;
          result = tools::run_batch(plan, options);
          summary_path = summary ? *summary : plan.root / "batch_summary.csv";
          tools::write_batch_summary(summary_path, result);
        }
        py::list trials;
        for (const auto& t : result.trials) trials.append(trial_dict(t));
        return py::dict(py::arg("trials") = trials, py::arg("seconds") = result.seconds,
                        py::arg("ok") = result.count(tools::TrialStatus::ok),
                        py::arg("failed") = result.count(tools::TrialStatus::failed),
                        py::arg("skipped") = result.count(tools::TrialStatus::skipped),
                        py::arg("summary") = summary_path.string());
      },
      py::arg("path"), py::arg("threads") = 0, py::arg("resume") = true, py::arg("summary") = py::none(),
      R"doc(Runs every tool setup under a folder (or listed in a .csv/.json manifest) as `femur batch`:
all cores (threads=0), resumable, a summary CSV (setup,status,seconds,error). Failed trials
are reported, never raised: check result["failed"].

Example:
    >>> r = femur.batch("study/", threads=2)
    >>> r["ok"], r["failed"], [t["error"] for t in r["trials"] if t["status"] == "failed"])doc");

  m.def(
      "run_trial",
      [](const std::filesystem::path& setup, std::optional<std::filesystem::path> out_dir) {
        tools::TrialResult r;
        {
          py::gil_scoped_release release;
          r = tools::run_trial({setup.string(), setup, out_dir.value_or(std::filesystem::path())});
        }
        return trial_dict(r);
      },
      py::arg("setup"), py::arg("out_dir") = py::none(),
      "One trial as `femur run SETUP [--out-dir]`; raises on failure (femur.ParseError for a bad file).\n\n"
      "Example:\n    >>> femur.run_trial(\"trial01/setup_id.xml\")");
}

}  // namespace femur::python
