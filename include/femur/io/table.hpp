// Time series tables as OpenSim writes them: STO/MOT (a header of key=value lines ended by
// `endheader`, then labels and rows) and TRC marker trajectories. Values are stored as read;
// unit conversion (degrees, millimetres) is the caller's choice through the helpers below.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace femur::io {

// A table of rows over time, one column per label (the time column is kept apart).
struct Table {
  std::string name;                               // first header line of an STO/MOT file
  std::vector<std::string> labels;                // column labels, without "time"
  Eigen::VectorXd time;                           // one entry per row
  Eigen::MatrixXd data;                           // rows x labels.size()
  std::map<std::string, std::string> metadata;    // header key=value pairs, as written
  std::vector<std::string> comments;              // other header lines, in order
  bool in_degrees = false;                        // header inDegrees=yes; also a .mot file
                                                  // without version line (SIMM, as OpenSim)

  int rows() const { return static_cast<int>(time.size()); }
  int cols() const { return static_cast<int>(labels.size()); }
  // Index of a column by exact label, or by the last path segment before "/value" etc.
  // (OpenSim 4 labels such as /jointset/hip_r/hip_flexion_r/value match "hip_flexion_r",
  // preferring the /value, /activation or bare-path column over /speed and other states;
  // "/forceset/soleus_r|tendon_force" matches "soleus_r"). A path asked of a table with
  // bare labels matches the bare name (".../speed" matches "<name>_u").
  // Returns -1 when absent.
  int column(const std::string& label) const;
};

// Reads a .sto or .mot file (version 1 and 2 headers, tab- or space-separated).
// Throws ParseError "file:line: what is wrong" (a row of the wrong length, a cell that is
// not a number, nRows that disagrees with the rows present, no endheader, ...). Every value
// must be finite (NaN and Inf are errors at their line and column, unlike OpenSim's Storage,
// which reads them and lets them through the tools), and times must not decrease (a time
// repeated is allowed: see remove_repeated_times).
Table read_sto(const std::filesystem::path& path);
// Parses STO/MOT text already in memory; `name_for_errors` is used in messages.
Table parse_sto(const std::string& text, const std::string& name_for_errors);

struct StoWriteOptions {
  int precision = 16;       // at most this many significant digits: the shortest exact
                            // text when it fits (always at 17), else rounded %g style
  bool mot_header = false;  // write the .mot header keys (datacolumns/datarows) too
};
// Writes the header OpenSim's Storage reads (name, version=1, nRows, nColumns counting
// time, inDegrees, other metadata and comments, endheader), then tab-separated labels and
// rows. Writes atomically (temporary file, then rename).
void write_sto(const std::filesystem::path& path, const Table& table, const StoWriteOptions& options = {});
std::string format_sto(const Table& table, const StoWriteOptions& options = {});

// Marker trajectories (TRC). Positions are in `units` as read; missing markers are NaN.
struct MarkerTable {
  std::string name;                        // PathFileType line's file name
  std::vector<std::string> markers;        // marker names
  std::vector<int> frame_numbers;          // Frame# column
  Eigen::VectorXd time;                    // seconds
  Eigen::MatrixXd data;                    // frames x (3 * markers.size()), x y z per marker
  double data_rate = 0.0, camera_rate = 0.0;
  double orig_data_rate = 0.0;
  int orig_data_start_frame = 1, orig_num_frames = 0;
  std::string units = "m";                 // "mm" or "m" as the file says
  int num_frames_in_header = -1;           // NumFrames as the file says (-1 if absent); the
                                           // reader checks it equals frames()

  int frames() const { return static_cast<int>(time.size()); }
  int marker(const std::string& name) const;  // -1 if absent
  Eigen::Vector3d position(int frame, int marker) const {
    return data.block<1, 3>(frame, 3 * marker).transpose();
  }
  // Multiplies positions so that they are in metres (mm -> m) and sets units to "m".
  // Units other than mm, cm and m throw std::invalid_argument.
  void convert_to_metres();
};

// Reads TRC as OpenSim's TRCFileAdapter does: NumMarkers must match the names of line 4;
// a marker with an empty or NaN cell in a row (or cut off by a short row) is NaN in that
// frame; an empty line ends the data. Stricter than OpenSim: NumFrames must match the rows
// read, marker names must differ, times must increase strictly (as TimeSeriesTable
// requires), and a value that is infinite or beyond 1e9 is an error at its line and column.
// The writer uses TRCFileAdapter's layout, missing markers as empty cells, and values in
// the shortest text that reads back exactly. Writes atomically.
MarkerTable read_trc(const std::filesystem::path& path);
MarkerTable parse_trc(const std::string& text, const std::string& name_for_errors);
void write_trc(const std::filesystem::path& path, const MarkerTable& table);
std::string format_trc(const MarkerTable& table);

// OpenSim's Storage::findIndex(t): the last row whose time is at or before t, 0 when t
// precedes every row (tools use it to pick their first and last frames).
Eigen::Index find_row_at_or_before(const Eigen::VectorXd& time, double t);

// A row with the same time as the row before it replaces that row, as OpenSim's Storage does
// when rows are appended (shipped coordinate files end with their last time twice, the
// values differing in the last digit). Returns how many rows were dropped.
int remove_repeated_times(Table& table);

}  // namespace femur::io
