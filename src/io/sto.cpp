// STO / MOT tables: reader, writer and column look-up.
//
// Format facts, from OpenSim's two readers of these files:
// - OpenSim/Common/Storage.cpp (parseHeaders, the reader OpenSim 4 uses for version<=1 files):
//   header lines until `endheader`; the key is what precedes the first of " \t=", so
//   `nRows=5`, `nRows 5` and SIMM's `datarows 5` all count; `nr`/`nRows`/`datarows` give the
//   row count and `nc`/`nColumns`/`datacolumns` the column count (time included); the first
//   line that is no key is the table's name; `inDegrees=yes|y`; a file with no `version` line
//   that says "Angles are in degrees." is in degrees, and so is every `.mot` file without a
//   `version` line ("Motion files from SIMM are in degrees"). Labels are split on " \t".
// - OpenSim/Common/DelimFileAdapter.h (extendRead, version 2 files): `key=value` lines are
//   metadata, `DataType` must be `double`, other lines form a free-text header; the first
//   column label must be `time`; every row must have as many values as there are labels.
// femur reads both with one parser, row values separated by tabs or runs of spaces.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <system_error>
#include <limits>
#include <stdexcept>

#include "femur/io/atomic_file.hpp"
#include "femur/io/error.hpp"
#include "femur/io/table.hpp"
#include "table_text.hpp"

namespace femur::io {
namespace detail {

std::string read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ParseError(path.string(), 0, "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ParseError(path.string(), 0, "cannot open file for reading");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw ParseError(path.string(), 0, "cannot determine the file size");
  in.seekg(0, std::ios::beg);
  std::string text(static_cast<size_t>(size), '\0');
  if (size > 0 && !in.read(text.data(), size)) throw ParseError(path.string(), 0, "cannot read file");
  return text;
}

}  // namespace detail

namespace {
using detail::is_blank;
using detail::LineCursor;
using detail::trim;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_blank(std::string_view s) { return s.find_first_of(" \t") != std::string_view::npos; }

std::string_view without_bom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

// Header keys that Storage.cpp reads as numbers or names (with '=' or a blank after them).
bool is_rows_key(std::string_view k) { return k == "nRows" || k == "nr" || k == "datarows"; }
bool is_columns_key(std::string_view k) { return k == "nColumns" || k == "nc" || k == "datacolumns"; }
bool is_simm_key(std::string_view k) {
  return is_rows_key(k) || is_columns_key(k) || k == "name" || k == "range" || k == "version" ||
         k == "inDegrees";
}

long long parse_count(std::string_view key, std::string_view value, const std::string& file, int line) {
  long long n = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec == std::errc::result_out_of_range)
    throw ParseError(file, line, std::string(key) + "=" + std::string(value) + " is too large");
  if (ec != std::errc() || ptr != value.data() + value.size() || n < 0)
    throw ParseError(file, line, std::string(key) + "='" + std::string(value) + "' is not a whole number");
  return n;
}

// Splits the label line: on tabs when it has any (labels may then hold spaces), otherwise
// on runs of spaces, like Storage::parseColumnLabels. Empty cells are dropped.
std::vector<std::string> split_labels(std::string_view line) {
  std::vector<std::string> labels;
  const bool tabs = line.find('\t') != std::string_view::npos;
  size_t i = 0;
  while (i <= line.size()) {
    size_t j = tabs ? line.find('\t', i) : line.find_first_of(" \t", i);
    if (j == std::string_view::npos) j = line.size();
    std::string_view cell = trim(line.substr(i, j - i));
    if (!cell.empty()) labels.emplace_back(cell);
    i = j + 1;
  }
  return labels;
}

std::string_view cell_at(const char* p, const char* end) {
  const char* q = p;
  while (q < end && !is_blank(*q)) ++q;
  return {p, static_cast<size_t>(q - p)};
}

size_t count_cells(std::string_view line) {
  size_t n = 0;
  const char* p = line.data();
  const char* end = p + line.size();
  while (p < end) {
    while (p < end && is_blank(*p)) ++p;
    if (p == end) break;
    ++n;
    while (p < end && !is_blank(*p)) ++p;
  }
  return n;
}

bool ends_with_mot(const std::string& name) {
  return name.size() >= 4 && iequals(std::string_view(name).substr(name.size() - 4), ".mot");
}

// State and output names that OpenSim 4 appends to a component path in column labels
// (Component::getStateVariableNames, TableReporter output labels).
constexpr std::array<std::string_view, 12> kPathSuffixes = {
    "value",    "speed",      "activation", "fiber_length", "fiber_velocity", "normalized_tendon_force",
    "tendon_force", "excitation", "control", "actuation", "lambda", "multiplier"};

// The coordinate/actuator name inside a label and the state or output name after it:
// "/jointset/hip_r/hip_flexion_r/value" -> ("hip_flexion_r", "value"),
// "/forceset/soleus_r|activation" -> ("soleus_r", "activation"), "/forceset/soleus_r" ->
// ("soleus_r", ""), "hip_flexion_r" -> ("hip_flexion_r", "").
std::pair<std::string_view, std::string_view> split_path_label(std::string_view label) {
  std::string_view suffix;
  if (size_t bar = label.rfind('|'); bar != std::string_view::npos) {
    suffix = label.substr(bar + 1);
    label = label.substr(0, bar);
  } else if (size_t slash = label.rfind('/'); slash != std::string_view::npos) {
    std::string_view last = label.substr(slash + 1);
    if (std::find(kPathSuffixes.begin(), kPathSuffixes.end(), last) != kPathSuffixes.end()) {
      suffix = last;
      label = label.substr(0, slash);
    }
  }
  if (size_t slash = label.rfind('/'); slash != std::string_view::npos) label = label.substr(slash + 1);
  return {label, suffix};
}

bool is_path(std::string_view label) { return label.find_first_of("/|") != std::string_view::npos; }

}  // namespace

int Table::column(const std::string& label) const {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == label) return static_cast<int>(i);
  if (label.empty()) return -1;
  if (!is_path(label)) {
    // A bare name: prefer the label whose state is the value itself (a coordinate's
    // `value`, a control or an activation) over its speed or other states.
    int other = -1;
    for (size_t i = 0; i < labels.size(); ++i) {
      if (!is_path(labels[i])) continue;
      auto [name, suffix] = split_path_label(labels[i]);
      if (name != label) continue;
      if (suffix.empty() || suffix == "value" || suffix == "activation") return static_cast<int>(i);
      if (other < 0) other = static_cast<int>(i);
    }
    return other;
  }
  // A path asked of a table with bare labels (OpenSim 3 files): the value is the bare name,
  // the speed is the bare name + "_u" (as in OpenSim 3 states files).
  auto [name, suffix] = split_path_label(label);
  std::string bare(name);
  if (suffix == "speed") bare += "_u";
  else if (!(suffix.empty() || suffix == "value" || suffix == "activation")) return -1;
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == bare) return static_cast<int>(i);
  return -1;
}

Table read_sto(const std::filesystem::path& path) {
  const std::string text = detail::read_text_file(path);
  return parse_sto(text, path.string());
}

Table parse_sto(const std::string& text_in, const std::string& file) {
  const std::string_view text = without_bom(text_in);
  if (trim(text).empty()) throw ParseError(file, 0, "file is empty");

  Table table;
  LineCursor cur(text);
  std::string_view line;

  // ---- Header ----
  bool found_end = false, first = true;
  bool have_version = false, have_in_degrees = false, angles_in_degrees = false;
  long long n_rows = -1;
  int n_rows_line = 0;
  while (cur.next(line)) {
    const std::string_view t = trim(line);
    if (t.empty()) continue;
    if (t == "endheader") {
      found_end = true;
      break;
    }
    const bool is_first = first;
    first = false;

    std::string_view key, value;
    bool keyed = false;
    if (size_t eq = t.find('='); eq != std::string_view::npos) {
      key = trim(t.substr(0, eq));
      if (!key.empty() && !has_blank(key)) {
        value = trim(t.substr(eq + 1));
        keyed = true;
      }
    }
    if (!keyed) {  // SIMM style "key value"
      const size_t sp = t.find_first_of(" \t");
      const std::string_view k = t.substr(0, sp);
      if (is_simm_key(k)) {
        key = k;
        value = sp == std::string_view::npos ? std::string_view() : trim(t.substr(sp));
        keyed = true;
      }
    }
    if (!keyed) {
      if (is_first) {
        table.name = std::string(t);
      } else {
        table.comments.emplace_back(t);
        if (t == "Angles are in degrees.") angles_in_degrees = true;
      }
      continue;
    }

    table.metadata[std::string(key)] = std::string(value);
    if (key == "version") {
      have_version = true;
    } else if (is_rows_key(key)) {
      n_rows = parse_count(key, value, file, cur.number);
      n_rows_line = cur.number;
    } else if (is_columns_key(key)) {
      parse_count(key, value, file, cur.number);  // checked, but OpenSim only warns on mismatch
    } else if (key == "inDegrees") {
      if (iequals(value, "yes") || iequals(value, "y") || iequals(value, "true")) {
        table.in_degrees = true;
      } else if (iequals(value, "no") || iequals(value, "n") || iequals(value, "false")) {
        table.in_degrees = false;
      } else {
        throw ParseError(file, cur.number, "inDegrees='" + std::string(value) + "' is neither yes nor no");
      }
      have_in_degrees = true;
    } else if (key == "DataType") {
      if (value != "double")
        throw ParseError(file, cur.number,
                         "DataType=" + std::string(value) + " is not supported (only double columns)");
    } else if (key == "name" && table.name.empty()) {
      table.name = std::string(value);
    }
  }
  if (!found_end) throw ParseError(file, cur.number, "no 'endheader' line: the header never ends");
  if (!have_in_degrees && !have_version && (angles_in_degrees || ends_with_mot(file))) table.in_degrees = true;

  // ---- Column labels ----
  std::string_view label_line;
  bool have_labels = false;
  while (cur.next(line)) {
    if (!trim(line).empty()) {
      label_line = line;
      have_labels = true;
      break;
    }
  }
  if (!have_labels) throw ParseError(file, cur.number, "no column labels after 'endheader'");
  const int label_line_number = cur.number;
  table.labels = split_labels(label_line);
  if (!iequals(table.labels.front(), "time"))
    throw ParseError(file, label_line_number,
                     "first column is '" + table.labels.front() + "', expected 'time'");
  table.labels.erase(table.labels.begin());

  // ---- Rows ----
  // Reserve from what the rest of the file can hold, never from nRows alone: a row of W
  // values takes at least 2W bytes, so the buffer stays within a few times the file size.
  const size_t width = table.labels.size() + 1;
  const size_t bytes_left = static_cast<size_t>(cur.end - cur.pos);
  size_t capacity_rows = std::min(cur.lines_left(), bytes_left / (2 * width) + 1);
  if (n_rows >= 0) capacity_rows = std::min(capacity_rows, static_cast<size_t>(n_rows));
  std::vector<double> values;
  values.reserve(capacity_rows * width);

  size_t rows = 0;
  double previous_time = 0.0;
  while (cur.next(line)) {
    const char* p = line.data();
    const char* end = p + line.size();
    size_t k = 0;
    for (;;) {
      while (p < end && is_blank(*p)) ++p;
      if (p == end) break;
      if (k == width) {
        throw ParseError(file, cur.number,
                         "row has " + std::to_string(count_cells(line)) + " values, expected " +
                             std::to_string(width) + " (time and " + std::to_string(width - 1) +
                             " columns)");
      }
      double v;
      const char* q = detail::parse_double(p, end, v);
      if (q == nullptr || (q < end && !is_blank(*q)) || !std::isfinite(v)) {
        const std::string what(cell_at(p, end));
        const std::string column = k == 0 ? std::string("time") : table.labels[k - 1];
        const char* why = q == nullptr || (q < end && !is_blank(*q)) ? "is not a number"
                          : std::isnan(v)                             ? "is not a number (NaN)"
                                                                      : "is not finite";
        throw ParseError(file, cur.number, "value '" + what + "' in column '" + column + "' " + why,
                         static_cast<int>(p - line.data()) + 1);
      }
      if (k == 0 && rows > 0 && v < previous_time)
        throw ParseError(file, cur.number,
                         "time " + std::string(cell_at(p, end)) + " is before the previous row's time " +
                             detail::format_number(previous_time),
                         static_cast<int>(p - line.data()) + 1);
      if (k == 0) previous_time = v;
      values.push_back(v);
      ++k;
      p = q;
    }
    if (k == 0) continue;  // blank line
    if (k != width) {
      throw ParseError(file, cur.number,
                       "row has " + std::to_string(k) + " values, expected " + std::to_string(width) +
                           " (time and " + std::to_string(width - 1) + " columns)");
    }
    ++rows;
  }
  if (n_rows >= 0 && static_cast<size_t>(n_rows) != rows) {
    throw ParseError(file, n_rows_line,
                     "header says " + std::to_string(n_rows) + " rows but the file has " +
                         std::to_string(rows) + " data rows");
  }

  const Eigen::Index nr = static_cast<Eigen::Index>(rows);
  const Eigen::Index nc = static_cast<Eigen::Index>(width - 1);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  if (nr == 0) {  // a header with no rows (OpenSim writes these): no blocks of a null map
    table.time.resize(0);
    table.data.resize(0, nc);
    return table;
  }
  const Eigen::Map<const RowMajor> all(values.data(), nr, static_cast<Eigen::Index>(width));
  table.time = all.col(0);
  table.data = all.rightCols(nc);
  return table;
}

// ---- Writer ----

namespace {

// Keys the writer produces itself; copies from the read header would contradict them.
bool is_generated_key(const std::string& k) {
  return is_rows_key(k) || is_columns_key(k) || k == "version" || k == "inDegrees" || k == "DataType" ||
         k == "name" || k == "range" || k == "header";
}

void check_writable(const Table& t) {
  if (t.data.rows() != t.time.size() || t.data.cols() != static_cast<Eigen::Index>(t.labels.size()))
    throw std::invalid_argument("write_sto: table has " + std::to_string(t.time.size()) + " times, " +
                                std::to_string(t.labels.size()) + " labels but data is " +
                                std::to_string(t.data.rows()) + "x" + std::to_string(t.data.cols()));
  for (const auto& l : t.labels)
    if (l.empty() || l.find_first_of(" \t\r\n") != std::string::npos)
      throw std::invalid_argument("write_sto: column label '" + l + "' is empty or contains whitespace");
}

}  // namespace

std::string format_sto(const Table& table, const StoWriteOptions& options) {
  check_writable(table);
  if (options.precision < 1 || options.precision > 40)
    throw std::invalid_argument("write_sto: precision must be 1..40, got " + std::to_string(options.precision));
  const int precision = options.precision;
  const Eigen::Index rows = table.time.size();
  const Eigen::Index cols = table.data.cols();

  // Header as Storage::print writes it (OpenSim/Common/Storage.cpp: name, version=1, nRows,
  // nColumns counting time, inDegrees, then free text, then endheader).
  std::string out;
  out.reserve(256 + static_cast<size_t>(rows) * static_cast<size_t>(cols + 1) * static_cast<size_t>(precision + 8));
  auto line = [&out](std::string_view s) {
    out.append(s);
    out.push_back('\n');
  };
  auto key_value = [&out](std::string_view key, std::string_view sep, std::string_view value) {
    out.append(key);
    out.append(sep);
    out.append(value);
    out.push_back('\n');
  };
  if (!table.name.empty() && table.name.find('\n') == std::string::npos) line(table.name);
  key_value("version", "=", "1");
  key_value("nRows", "=", std::to_string(rows));
  key_value("nColumns", "=", std::to_string(cols + 1));
  key_value("inDegrees", "=", table.in_degrees ? "yes" : "no");
  for (const auto& [key, value] : table.metadata) {
    if (is_generated_key(key) || key.empty() || key.find_first_of("= \t\r\n") != std::string::npos ||
        value.find('\n') != std::string::npos)
      continue;
    key_value(key, "=", value);
  }
  if (options.mot_header) {
    // The SIMM motion header keys (Storage::writeSIMMHeader).
    char a[64], b[64];
    const double t0 = rows > 0 ? table.time[0] : 0.0, t1 = rows > 0 ? table.time[rows - 1] : 0.0;
    std::string range(a, detail::format_double(a, t0, 0));
    range += ' ';
    range.append(b, detail::format_double(b, t1, 0));
    if (!table.name.empty() && table.name.find('\n') == std::string::npos) key_value("name", " ", table.name);
    key_value("datacolumns", " ", std::to_string(cols + 1));
    key_value("datarows", " ", std::to_string(rows));
    key_value("range", " ", range);
  }
  for (const auto& c : table.comments)
    if (c.find('\n') == std::string::npos && trim(c) != "endheader") line(c);
  line("endheader");

  out.append("time");
  for (const auto& l : table.labels) {
    out.push_back('\t');
    out.append(l);
  }
  out.push_back('\n');

  // Rows: one stack buffer per row, values with `precision` significant digits (%g style,
  // std::to_chars: exact round trip at 17 digits), tab-separated.
  const size_t cell = static_cast<size_t>(precision) + 34;
  std::vector<char> buf(cell * static_cast<size_t>(cols + 1) + 2);
  for (Eigen::Index r = 0; r < rows; ++r) {
    char* p = buf.data();
    p = detail::format_double(p, table.time[r], precision);
    for (Eigen::Index c = 0; c < cols; ++c) {
      *p++ = '\t';
      p = detail::format_double(p, table.data(r, c), precision);
    }
    *p++ = '\n';
    out.append(buf.data(), static_cast<size_t>(p - buf.data()));
  }
  return out;
}

void write_sto(const std::filesystem::path& path, const Table& table, const StoWriteOptions& options) {
  write_file_atomically(path, format_sto(table, options));
}

Eigen::Index find_row_at_or_before(const Eigen::VectorXd& time, double t) {
  Eigen::Index i = 0;
  while (i < time.size() && !(t < time[i])) ++i;
  return std::max<Eigen::Index>(i - 1, 0);
}

int remove_repeated_times(Table& table) {
  const Eigen::Index n = table.time.size();
  if (n < 2) return 0;
  Eigen::Index kept = 1;
  for (Eigen::Index i = 1; i < n; ++i) {
    const Eigen::Index slot = table.time[i] == table.time[kept - 1] ? kept - 1 : kept++;
    if (slot != i) {
      table.time[slot] = table.time[i];
      table.data.row(slot) = table.data.row(i);
    }
  }
  const int removed = static_cast<int>(n - kept);
  if (removed > 0) {
    table.time.conservativeResize(kept);
    table.data.conservativeResize(kept, Eigen::NoChange);
  }
  return removed;
}

}  // namespace femur::io
