// TRC marker trajectories: reader and writer.
//
// Format facts from OpenSim/Common/TRCFileAdapter.cpp (extendRead / extendWrite):
//   line 1  PathFileType <tab> 4 <tab> (X/Y/Z) <tab> file name
//   line 2  DataRate CameraRate NumFrames NumMarkers Units OrigDataRate OrigDataStartFrame OrigNumFrames
//   line 3  their values
//   line 4  Frame# <tab> Time <tab> marker name <tab><tab><tab> next name ...
//   line 5  <tab><tab> X1 Y1 Z1 X2 Y2 Z2 ...
//   then optional blank lines, then one tab-separated row per frame: frame number, time and
//   x y z of each marker. A marker with any empty cell in a row is missing in that frame
//   (NaN); cells are split on tabs only, so empty cells keep their place; an empty line ends
//   the data. NumMarkers must match the names of line 4 (IncorrectNumColumnLabels).
// femur also takes rows that end early (exporters trim trailing empty cells) as missing
// markers. As TimeSeriesTable (which OpenSim reads a TRC into) it requires strictly
// increasing times; it also requires NumFrames to match the rows (a truncated file fails),
// distinct marker names, and finite values: a NaN cell is a missing marker (what OpenSim
// writes for one), an infinite cell or one beyond kMaxMarkerCoordinate is an error.
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "femur/io/atomic_file.hpp"
#include "femur/io/error.hpp"
#include "femur/io/table.hpp"
#include "table_text.hpp"

namespace femur::io {
namespace {
using detail::is_blank;
using detail::LineCursor;
using detail::trim;

// No marker of a motion capture volume is 1e9 units (1000 km in mm) from its origin; a
// larger value is a corrupt cell, and would overflow the squared marker errors of IK.
constexpr double kMaxMarkerCoordinate = 1e9;

constexpr const char* kKeys[] = {"DataRate",     "CameraRate",          "NumFrames",   "NumMarkers",
                                 "Units",        "OrigDataRate",        "OrigDataStartFrame",
                                 "OrigNumFrames"};

// Non-empty cells of a header line, split on tabs and spaces.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    size_t j = i;
    while (j < line.size() && !is_blank(line[j])) ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

// Non-empty cells of a line split on tabs only (marker names may hold spaces).
std::vector<std::string_view> tab_cells(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= line.size()) {
    size_t j = line.find('\t', i);
    if (j == std::string_view::npos) j = line.size();
    std::string_view c = trim(line.substr(i, j - i));
    if (!c.empty()) out.push_back(c);
    i = j + 1;
  }
  return out;
}

double header_number(std::string_view key, std::string_view value, const std::string& file, int line) {
  double v = 0;
  const char* end = value.data() + value.size();
  const char* q = detail::parse_double(value.data(), end, v);
  if (q != end) throw ParseError(file, line, std::string(key) + "='" + std::string(value) + "' is not a number");
  return v;
}

int header_count(std::string_view key, std::string_view value, const std::string& file, int line) {
  long long n = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || ptr != value.data() + value.size() || n < 0 ||
      n > std::numeric_limits<int>::max())
    throw ParseError(file, line, std::string(key) + "='" + std::string(value) + "' is not a whole number");
  return static_cast<int>(n);
}

bool parse_whole(std::string_view cell, int& out) {
  auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), out);
  if (ec == std::errc() && ptr == cell.data() + cell.size()) return true;
  double d;  // "12.0" from exporters that write every cell as a float
  if (detail::parse_double(cell.data(), cell.data() + cell.size(), d) != cell.data() + cell.size()) return false;
  if (!(d == std::floor(d)) || std::abs(d) > std::numeric_limits<int>::max()) return false;
  out = static_cast<int>(d);
  return true;
}

}  // namespace

int MarkerTable::marker(const std::string& name) const {
  for (size_t i = 0; i < markers.size(); ++i)
    if (markers[i] == name) return static_cast<int>(i);
  return -1;
}

void MarkerTable::convert_to_metres() {
  double scale;
  if (units == "mm") scale = 1e-3;
  else if (units == "cm") scale = 1e-2;
  else if (units == "m") scale = 1.0;
  else throw std::invalid_argument("convert_to_metres: unknown TRC units '" + units + "' (expected mm, cm or m)");
  if (scale != 1.0) data *= scale;
  units = "m";
}

MarkerTable read_trc(const std::filesystem::path& path) {
  const std::string text = detail::read_text_file(path);
  return parse_trc(text, path.string());
}

MarkerTable parse_trc(const std::string& text_in, const std::string& file) {
  std::string_view text = text_in;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (trim(text).empty()) throw ParseError(file, 0, "file is empty");

  MarkerTable table;
  LineCursor cur(text);
  std::string_view line;
  auto next_line = [&](const char* what) {
    if (!cur.next(line)) throw ParseError(file, cur.number + 1, std::string("file ends before ") + what);
  };

  // Line 1: PathFileType 4 (X/Y/Z) name
  next_line("the PathFileType line");
  {
    auto w = words(line);
    if (w.empty() || w[0] != "PathFileType")
      throw ParseError(file, 1, "first line must start with 'PathFileType', found '" +
                                    std::string(w.empty() ? std::string_view() : w[0]) + "'");
    if (w.size() >= 4) table.name = std::string(w[3]);
  }

  // Lines 2 and 3: keys and values.
  next_line("the header keys line (DataRate CameraRate ...)");
  const auto keys = words(line);
  next_line("the header values line");
  const auto values = words(line);
  if (keys.size() != values.size())
    throw ParseError(file, 3, "line 2 has " + std::to_string(keys.size()) + " keys but line 3 has " +
                                  std::to_string(values.size()) + " values");
  int num_markers = -1;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string_view k = keys[i], v = values[i];
    if (k == "DataRate") table.data_rate = header_number(k, v, file, 3);
    else if (k == "CameraRate") table.camera_rate = header_number(k, v, file, 3);
    else if (k == "OrigDataRate") table.orig_data_rate = header_number(k, v, file, 3);
    else if (k == "NumFrames") table.num_frames_in_header = header_count(k, v, file, 3);
    else if (k == "NumMarkers") num_markers = header_count(k, v, file, 3);
    else if (k == "OrigDataStartFrame") table.orig_data_start_frame = header_count(k, v, file, 3);
    else if (k == "OrigNumFrames") table.orig_num_frames = header_count(k, v, file, 3);
    else if (k == "Units") table.units = std::string(v);
  }
  if (num_markers < 0) throw ParseError(file, 2, "no NumMarkers key");

  // Line 4: Frame# Time names.
  next_line("the marker names line (Frame# Time ...)");
  {
    auto cells = tab_cells(line);
    if (cells.size() < 2 || cells[0] != "Frame#" || cells[1] != "Time")
      throw ParseError(file, 4, "line 4 must start with 'Frame#' and 'Time' (tab-separated)");
    if (cells.size() - 2 != static_cast<size_t>(num_markers))
      throw ParseError(file, 4, "NumMarkers=" + std::to_string(num_markers) + " but line 4 names " +
                                    std::to_string(cells.size() - 2) + " markers");
    table.markers.reserve(cells.size() - 2);
    for (size_t i = 2; i < cells.size(); ++i) {
      const std::string name(cells[i]);
      if (const int before = table.marker(name); before >= 0)
        throw ParseError(file, 4,
                         "marker '" + name + "' is named twice (markers " + std::to_string(before + 1) + " and " +
                             std::to_string(table.markers.size() + 1) + ")",
                         static_cast<int>(cells[i].data() - line.data()) + 1);
      table.markers.push_back(name);
    }
  }

  // Line 5: X1 Y1 Z1 ...
  const size_t n_values = 3 * table.markers.size();
  if (!cur.next(line)) {
    if (n_values > 0) throw ParseError(file, 5, "file ends before the X1 Y1 Z1 line");
    line = {};
  }
  if (const auto xyz = words(line); xyz.size() != n_values)
    throw ParseError(file, 5, "line 5 has " + std::to_string(xyz.size()) + " coordinate labels, expected " +
                                  std::to_string(n_values) + " (X Y Z for each of " +
                                  std::to_string(table.markers.size()) + " markers)");

  // Data rows. Blank lines right after the header are skipped; a later one ends the data.
  // The reservation is a hint from the bytes left (a full row of W cells takes at least
  // 2W - 1 bytes), never from NumFrames; rows cut short (missing markers) grow the buffers.
  const size_t width = 2 + n_values;
  const size_t bytes_left = static_cast<size_t>(cur.end - cur.pos);
  const size_t capacity_rows = std::min(cur.lines_left(), bytes_left / (2 * width) + 1);
  std::vector<double> xyz, times;
  std::vector<int> frames;
  xyz.reserve(capacity_rows * n_values);
  times.reserve(capacity_rows);
  frames.reserve(capacity_rows);

  bool started = false;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  while (cur.next(line)) {
    if (trim(line).empty()) {
      if (started) break;
      continue;
    }
    started = true;
    const size_t row_start = xyz.size();
    xyz.resize(row_start + n_values, nan);
    double* row = xyz.data() + row_start;

    size_t i = 0;      // cell index
    size_t begin = 0;  // cell start in `line`
    bool marker_ok = true;
    double triple[3] = {nan, nan, nan};
    bool have_time = false;
    while (begin <= line.size()) {
      size_t stop = line.find('\t', begin);
      if (stop == std::string_view::npos) stop = line.size();
      const std::string_view cell = trim(line.substr(begin, stop - begin));
      const int column = static_cast<int>(begin) + 1;
      if (i == 0) {
        int f = 0;
        if (!parse_whole(cell, f))
          throw ParseError(file, cur.number, "Frame# '" + std::string(cell) + "' is not a whole number", column);
        frames.push_back(f);
      } else if (i == 1) {
        double t;
        const char* e = cell.data() + cell.size();
        if (cell.empty() || detail::parse_double(cell.data(), e, t) != e || std::isnan(t))
          throw ParseError(file, cur.number, "Time '" + std::string(cell) + "' is not a number", column);
        if (!std::isfinite(t))
          throw ParseError(file, cur.number, "Time '" + std::string(cell) + "' is not finite", column);
        if (!times.empty() && !(t > times.back()))
          throw ParseError(file, cur.number,
                           "Time " + std::string(cell) +
                               (t == times.back() ? " repeats the previous frame's time"
                                                  : " is before the previous frame's time " +
                                                        detail::format_number(times.back())) +
                               "; times must increase",
                           column);
        times.push_back(t);
        have_time = true;
      } else if (i < width) {
        const size_t v = i - 2, m = v / 3, axis = v % 3;
        if (axis == 0) {
          marker_ok = true;
        }
        if (cell.empty()) {
          marker_ok = false;
        } else {
          const char* e = cell.data() + cell.size();
          double& v = triple[axis];
          if (detail::parse_double(cell.data(), e, v) != e)
            throw ParseError(file, cur.number,
                             "marker '" + table.markers[m] + "' " + "XYZ"[axis] + " value '" + std::string(cell) +
                                 "' is not a number",
                             column);
          if (std::isnan(v)) {
            marker_ok = false;  // OpenSim writes a missing marker as NaN
          } else if (!(std::abs(v) <= kMaxMarkerCoordinate)) {
            throw ParseError(file, cur.number,
                             "marker '" + table.markers[m] + "' " + "XYZ"[axis] + " value '" + std::string(cell) +
                                 "' is " + (std::isinf(v) ? "not finite" : "out of range (beyond 1e9)"),
                             column);
          }
        }
        if (axis == 2 && marker_ok) {
          row[3 * m] = triple[0];
          row[3 * m + 1] = triple[1];
          row[3 * m + 2] = triple[2];
        }
      } else if (!cell.empty()) {
        size_t cells = 1;
        for (char c : line) cells += c == '\t';
        throw ParseError(file, cur.number,
                         "row has " + std::to_string(cells) + " cells, expected " + std::to_string(width) +
                             " (Frame#, Time and X Y Z for each of " + std::to_string(table.markers.size()) +
                             " markers)",
                         column);
      }
      ++i;
      begin = stop + 1;
    }
    if (!have_time) throw ParseError(file, cur.number, "row has no Time cell");
    // Cells missing at the end of a short row leave their markers NaN (already filled).
  }

  if (table.num_frames_in_header >= 0 && static_cast<size_t>(table.num_frames_in_header) != times.size())
    throw ParseError(file, 3,
                     "header says NumFrames=" + std::to_string(table.num_frames_in_header) + " but the file has " +
                         std::to_string(times.size()) + " frames" +
                         (times.size() < static_cast<size_t>(table.num_frames_in_header) ? " (truncated?)" : ""));

  const Eigen::Index n = static_cast<Eigen::Index>(times.size());
  table.time = Eigen::Map<const Eigen::VectorXd>(times.data(), n);
  table.frame_numbers = std::move(frames);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  table.data = Eigen::Map<const RowMajor>(xyz.data(), n, static_cast<Eigen::Index>(n_values));
  return table;
}

// ---- Writer: the layout TRCFileAdapter::extendWrite produces (every cell followed by a
// tab, a blank line before the data); missing markers as empty cells, which OpenSim and
// other TRC readers take as missing. Values in the shortest form that reads back exactly.

std::string format_trc(const MarkerTable& t) {
  const Eigen::Index frames = t.time.size();
  const Eigen::Index nm = static_cast<Eigen::Index>(t.markers.size());
  if (t.data.rows() != frames || t.data.cols() != 3 * nm)
    throw std::invalid_argument("write_trc: " + std::to_string(frames) + " frames and " + std::to_string(nm) +
                                " markers but data is " + std::to_string(t.data.rows()) + "x" +
                                std::to_string(t.data.cols()));
  if (!t.frame_numbers.empty() && static_cast<Eigen::Index>(t.frame_numbers.size()) != frames)
    throw std::invalid_argument("write_trc: frame_numbers has " + std::to_string(t.frame_numbers.size()) +
                                " entries for " + std::to_string(frames) + " frames");
  for (const auto& m : t.markers)
    if (m.empty() || m.find_first_of("\t\r\n") != std::string::npos)
      throw std::invalid_argument("write_trc: marker name '" + m + "' is empty or contains a tab or newline");
  if (t.units.empty() || t.units.find_first_of(" \t\r\n") != std::string::npos)
    throw std::invalid_argument("write_trc: units '" + t.units + "' are empty or contain whitespace");

  char buf[64];
  auto num = [&buf](double v) { return std::string(buf, detail::format_double(buf, v, 0)); };
  const double rate = t.data_rate;
  std::string out;
  out.reserve(512 + static_cast<size_t>(frames) * static_cast<size_t>(3 * nm + 2) * 20);
  out += "PathFileType\t4\t(X/Y/Z)\t" + (t.name.empty() ? std::string("markers.trc") : t.name) + "\n";
  for (size_t i = 0; i < std::size(kKeys); ++i) {
    out += kKeys[i];
    out += i + 1 < std::size(kKeys) ? '\t' : '\n';
  }
  out += num(rate) + '\t' + num(t.camera_rate > 0 ? t.camera_rate : rate) + '\t' + std::to_string(frames) + '\t' +
         std::to_string(nm) + '\t' + t.units + '\t' + num(t.orig_data_rate > 0 ? t.orig_data_rate : rate) + '\t' +
         std::to_string(t.orig_data_start_frame) + '\t' +
         std::to_string(t.orig_num_frames > 0 ? t.orig_num_frames : static_cast<int>(frames)) + '\n';
  out += "Frame#\tTime\t";
  for (const auto& m : t.markers) out += m + "\t\t\t";
  out += "\n\t\t";
  for (Eigen::Index m = 1; m <= nm; ++m) {
    const std::string k = std::to_string(m);
    out += "X" + k + "\tY" + k + "\tZ" + k + "\t";
  }
  out += "\n\n";

  std::vector<char> row(static_cast<size_t>(3 * nm + 2) * 36 + 2);
  for (Eigen::Index f = 0; f < frames; ++f) {
    char* p = row.data();
    const int frame = t.frame_numbers.empty() ? static_cast<int>(f) + 1 : t.frame_numbers[static_cast<size_t>(f)];
    p = std::to_chars(p, p + 16, frame).ptr;
    *p++ = '\t';
    p = detail::format_double(p, t.time[f], 0);
    *p++ = '\t';
    for (Eigen::Index m = 0; m < nm; ++m) {
      const double x = t.data(f, 3 * m), y = t.data(f, 3 * m + 1), z = t.data(f, 3 * m + 2);
      if (std::isnan(x) || std::isnan(y) || std::isnan(z)) {
        *p++ = '\t';
        *p++ = '\t';
        *p++ = '\t';
        continue;
      }
      for (double v : {x, y, z}) {
        p = detail::format_double(p, v, 0);
        *p++ = '\t';
      }
    }
    *p++ = '\n';
    out.append(row.data(), static_cast<size_t>(p - row.data()));
  }
  return out;
}

void write_trc(const std::filesystem::path& path, const MarkerTable& table) {
  write_file_atomically(path, format_trc(table));
}

}  // namespace femur::io
