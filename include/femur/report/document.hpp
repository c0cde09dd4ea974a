// What a report shows, as data: a section per question answered (its method, numbers,
// figures, tables, verdict and the literature it is set beside). The report layer draws these
// (html_report.hpp, svg_plot.hpp) and knows nothing of where they come from; the hip
// scenarios (hip/scenario.hpp) fill them.
//
//   report::Figure f = report::line_figure("Hip contact", "hip flexion (deg)", "force (BW)",
//                                          {{"hip contact", angles, contact}});
//   report::with_band(f, 2.0, 3.0, "instrumented implants (Bergmann 2001)");
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace femur::report {

struct Series {
  std::string name;
  std::vector<double> x, y;
  bool dashed = false;
  // A CSS colour ("#E6C700") when the series stands for something with a colour of its own (a
  // tubing colour); empty: the plot's palette.
  std::string colour{};
};

// A line plot (series over a numeric x) or a bar plot (one bar per category and series:
// series[k].y[i] is the bar of category i).
struct Figure {
  enum class Kind { Line, Bar };
  Kind kind = Kind::Line;
  std::string title, x_label, y_label;
  std::vector<Series> series;
  std::vector<std::string> categories;  // Bar only
  std::string caption;
  // Optional horizontal band (e.g. a literature range) drawn behind the data.
  bool has_band = false;
  double band_low = 0.0, band_high = 0.0;
  std::string band_label;
  // Optional vertical band over a range of x (e.g. the hip angles where a clinical test is
  // positive), drawn behind the data of a Line plot and clipped to its x range.
  bool has_x_band = false;
  double x_band_low = 0.0, x_band_high = 0.0;
  std::string x_band_label;
};

Figure line_figure(std::string title, std::string x_label, std::string y_label, std::vector<Series> series,
                   std::string caption = "");
Figure bar_figure(std::string title, std::string y_label, std::vector<std::string> categories,
                  std::vector<Series> series, std::string caption = "");
// The bands, set on a figure (returned for chaining).
Figure& with_band(Figure& figure, double low, double high, std::string label);
Figure& with_x_band(Figure& figure, double low, double high, std::string label);

struct Number {
  std::string label;
  double value = 0.0;
  std::string unit;
  int decimals = 1;
  // When set, shown instead of the value: what a search that found nothing or stopped at a bound
  // says ("not reached by 45 deg", "held at every strength tried"), so that it does not read as
  // a measurement (issue 18). The value is then not a measurement either (populations skip it).
  std::string text{};
  bool measured() const;  // no text and a finite value
};

struct Table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A model number set beside a published one.
struct LiteratureComparison {
  std::string quantity;
  double model_value = 0.0;
  // When set, shown instead of model_value (e.g. "> 45 deg (not reached)"); `within()` still
  // compares model_value, the bound the search reached.
  double low = 0.0, high = 0.0;  // published range (low == high for a single value)
  std::string unit;
  std::string source;            // citation
  std::string published;         // how to show the published value, when not "low-high"
  std::string model_text{};
  bool within() const { return model_value >= low && model_value <= high; }
};

// CannotAnswer: the model did not produce the task with its muscles (reserve actuators carried
// more than 10% of a joint moment, or a muscle's force exceeded its maximum isometric force),
// so neither a yes nor a no is the model's.
enum class VerdictStatus { Supported, Partly, NotSupported, CannotAnswer };
// "supported", "partly supported", "not supported", "model cannot answer"
const char* verdict_status_name(VerdictStatus s);
// Supported when every point holds, partly when at least `partly` of them do (and one), else not.
VerdictStatus status_of(int points_held, int points, int partly = 1);

struct Verdict {
  VerdictStatus status = VerdictStatus::NotSupported;
  std::string claim;  // the statement tested, in plain words
  std::string text;   // what the numbers say, with the numbers
};

// A posture, or a sweep of postures, a section computed, shown in 3D in the report (the
// same view as `femur view`): one row of coordinate values per frame (model.nq values, rad
// and m) with a label each and, where it was computed, the hip contact force: what the
// femoral head applies to the acetabulum, in ground coordinates (N).
struct Posture {
  std::string caption;
  std::vector<std::string> labels;
  std::vector<std::vector<double>> q;
  std::string hip_joint;                                   // e.g. "hip_r"; empty: no force drawn
  std::vector<std::array<double, 3>> hip_force_in_ground;  // one per frame when hip_joint is set
};

// A number of a section over a population of plausible models: as run, the median and the 90%
// interval (5th to 95th percentile) over the models in which it was measured.
struct Spread {
  std::string label, unit;
  int decimals = 1;
  double as_run = 0.0, median = 0.0, low = 0.0, high = 0.0;
  int models = 0;  // models in which the number was measured (Number::measured)
};

// A section rerun over a population of plausible models (issue 18 item 7: a verdict with its
// uncertainty): how many models gave each verdict and the spread of each number.
struct Population {
  int samples = 0;                 // models run; 0: no population
  unsigned long long seed = 0;     // the draws are a function of (seed, model index) only
  double spread = 1.0;             // the published spreads were scaled by this
  std::string varied;              // what was varied and from which sources
  std::array<int, 4> verdicts{};   // models per VerdictStatus (Supported, Partly, NotSupported, CannotAnswer)
  std::vector<Spread> numbers;     // the key number first, then the section's numbers
  double share(VerdictStatus s) const {
    return samples > 0 ? static_cast<double>(verdicts[static_cast<size_t>(s)]) / samples : 0.0;
  }
};

// One question answered: a section of the report, and a row of its summary table.
struct Section {
  std::string name, title;
  std::string command;   // what makes it again, e.g. "femur scenario glute-med-weakness"
  std::string question;  // in plain words
  std::string method;
  Number key_number;     // the one number for the summary table
  std::vector<Number> numbers;
  std::vector<Figure> figures;
  std::vector<Table> tables;
  Verdict verdict;
  std::vector<LiteratureComparison> literature;
  std::vector<std::string> limits;
  std::vector<std::pair<std::string, std::string>> parameters;  // key, value as used
  std::vector<Posture> postures;
  std::string model_name;
  double seconds = 0.0;
  Population population;  // empty unless the section was rerun over plausible models
};

// "supported in 87% of 1000 models (partly supported 13%); hip contact 2.41 BW, 90% interval
// 2.10-2.80": the verdict as run, its share, the other verdicts' shares and the key number's
// spread. Empty without a population.
std::string population_sentence(const Section& section);

// Number formatting shared by the report and the CLI ("2.61", "-0.5"; no "-0").
std::string format_number(double value, int decimals);

}  // namespace femur::report
