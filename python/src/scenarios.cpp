// femur.scenario(name, model=None, **parameters) and femur.scenarios(): the hip and low-back
// scenarios of hip/scenario.hpp, their numbers returned as plain dicts (series as arrays).
#include <fmt/format.h>

#include "bindings.hpp"
#include "femur/hip/hip_model.hpp"
#include "femur/hip/scenario.hpp"
#include "femur/report/document.hpp"

namespace femur::python {

namespace {

py::array_t<double> array_of(const std::vector<double>& v) { return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data()); }

py::dict to_dict(const hip::ScenarioResult& r) {
  py::dict d;
  d["name"] = r.name;
  d["title"] = r.title;
  d["question"] = r.question;
  d["method"] = r.method;
  d["model"] = r.model_name;
  d["seconds"] = r.seconds;
  d["key_number"] = py::dict(py::arg("label") = r.key_number.label, py::arg("value") = r.key_number.value,
                             py::arg("unit") = r.key_number.unit);
  py::dict numbers, units;
  for (const auto& n : r.numbers) {
    numbers[py::str(n.label)] = n.value;
    units[py::str(n.label)] = n.unit;
  }
  d["numbers"] = numbers;
  d["units"] = units;
  d["verdict"] = py::dict(py::arg("status") = report::verdict_status_name(r.verdict.status),
                          py::arg("claim") = r.verdict.claim, py::arg("text") = r.verdict.text);
  py::list literature;
  for (const auto& l : r.literature)
    literature.append(py::dict(py::arg("quantity") = l.quantity, py::arg("model_value") = l.model_value,
                               py::arg("low") = l.low, py::arg("high") = l.high, py::arg("unit") = l.unit,
                               py::arg("source") = l.source, py::arg("within") = l.within()));
  d["literature"] = literature;
  py::dict parameters;
  for (const auto& [k, v] : r.parameters) parameters[py::str(k)] = v;
  d["parameters"] = parameters;
  py::list figures;
  for (const auto& f : r.figures) {
    py::list series;
    for (const auto& s : f.series)
      series.append(py::dict(py::arg("name") = s.name, py::arg("x") = array_of(s.x), py::arg("y") = array_of(s.y)));
    figures.append(py::dict(py::arg("title") = f.title, py::arg("x_label") = f.x_label,
                            py::arg("y_label") = f.y_label, py::arg("categories") = f.categories,
                            py::arg("series") = series));
  }
  d["figures"] = figures;
  py::list tables;
  for (const auto& t : r.tables)
    tables.append(py::dict(py::arg("title") = t.title, py::arg("header") = t.header, py::arg("rows") = t.rows));
  d["tables"] = tables;
  d["limits"] = r.limits;
  // Over plausible models (hip/population.hpp; `samples=N`): None when not run.
  if (r.population.samples > 0) {
    const report::Population& p = r.population;
    py::dict verdicts, spreads;
    for (report::VerdictStatus v : {report::VerdictStatus::Supported, report::VerdictStatus::Partly,
                                    report::VerdictStatus::NotSupported, report::VerdictStatus::CannotAnswer})
      verdicts[report::verdict_status_name(v)] = p.verdicts[static_cast<size_t>(v)];
    for (const report::Spread& n : p.numbers)
      spreads[py::str(n.label)] = py::dict(py::arg("median") = n.median, py::arg("p5") = n.low, py::arg("p95") = n.high,
                                           py::arg("models") = n.models);
    d["population"] = py::dict(py::arg("samples") = p.samples, py::arg("seed") = p.seed, py::arg("verdicts") = verdicts,
                               py::arg("numbers") = spreads, py::arg("summary") = report::population_sentence(r));
  } else {
    d["population"] = py::none();
  }
  return d;
}

}  // namespace

void bind_scenarios(py::module_& m) {
  m.def(
      "scenario",
      [](const std::string& name, std::shared_ptr<PyModel> model, py::kwargs kwargs) {
        const hip::ScenarioInfo& info = hip::require_scenario(name);
        std::vector<std::string> assignments;
        for (const auto& [k, v] : kwargs) {
          const std::string key = py::str(k);
          if (!py::isinstance<py::int_>(v) && !py::isinstance<py::float_>(v))
            throw std::invalid_argument("scenario parameter " + key + " must be a number");
          assignments.push_back(key + "=" + fmt::format("{}", v.cast<double>()));
        }
        const hip::ScenarioParameters parameters = hip::resolve_parameters(info, assignments);
        hip::ScenarioResult result;
        {
          py::gil_scoped_release release;
          const Model built = model ? Model() : hip::build_hip_model();
          result = hip::run_scenario(info, model ? model->get() : built, parameters);
        }
        return to_dict(result);
      },
      py::arg("name"), py::arg("model") = nullptr,
      R"doc(Runs a scenario (as `femur scenario NAME --set key=value`) on femur's hip model or `model`;
returns its numbers as a dict: key_number, numbers, units, verdict, literature, parameters,
figures (series as arrays), tables, limits, and population (static scenarios with samples > 0:
the verdict counts and each number's median and 5th/95th percentile over plausible models). Unknown names or parameters raise ValueError
listing the valid ones.

Example:
    >>> r = femur.scenario("glute-med-weakness", min_strength=30)
    >>> r["key_number"], r["verdict"]["status"])doc");

  m.def(
      "scenarios",
      [] {
        py::list out;
        for (const auto& s : hip::scenario_registry()) {
          py::list params;
          for (const auto& p : s.parameters)
            params.append(py::dict(py::arg("key") = p.key, py::arg("description") = p.description,
                                   py::arg("default") = p.default_value, py::arg("min") = p.min,
                                   py::arg("max") = p.max, py::arg("unit") = p.unit));
          out.append(py::dict(py::arg("name") = s.name, py::arg("title") = s.title, py::arg("summary") = s.summary,
                              py::arg("parameters") = params));
        }
        return out;
      },
      "Every scenario with its parameters (key, default, min, max, unit, description).\n\n"
      "Example:\n    >>> [s[\"name\"] for s in femur.scenarios()]");
}

}  // namespace femur::python
