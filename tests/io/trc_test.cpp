// TRC reader and writer: every marker file of the shared data set against its own header,
// known values, missing markers, exact round trips, and the message for each bad file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "femur/io/error.hpp"
#include "femur/io/table.hpp"
#include "support/test_data.hpp"

namespace {
namespace fs = std::filesystem;
using femur::io::MarkerTable;
using femur::io::ParseError;

// Line 3 of a TRC file, split on tabs, keyed by line 2 (read here independently).
std::map<std::string, std::string> header_values(const fs::path& path) {
  std::ifstream in(path);
  std::string l1, l2, l3;
  std::getline(in, l1);
  std::getline(in, l2);
  std::getline(in, l3);
  std::istringstream k(l2), v(l3);
  std::map<std::string, std::string> out;
  std::string key, value;
  while (k >> key && v >> value) out[key] = value;
  return out;
}

bool same_double(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void expect_identical(const MarkerTable& a, const MarkerTable& b, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(a.markers, b.markers);
  EXPECT_EQ(a.frame_numbers, b.frame_numbers);
  EXPECT_EQ(a.units, b.units);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.data_rate, b.data_rate);
  EXPECT_EQ(a.camera_rate, b.camera_rate);
  EXPECT_EQ(a.orig_data_rate, b.orig_data_rate);
  EXPECT_EQ(a.orig_data_start_frame, b.orig_data_start_frame);
  EXPECT_EQ(a.orig_num_frames, b.orig_num_frames);
  ASSERT_EQ(a.frames(), b.frames());
  ASSERT_EQ(a.data.cols(), b.data.cols());
  int bad = 0;
  for (int f = 0; f < a.frames(); ++f) {
    if (!same_double(a.time[f], b.time[f])) ++bad;
    for (int c = 0; c < a.data.cols(); ++c) bad += !same_double(a.data(f, c), b.data(f, c));
  }
  EXPECT_EQ(bad, 0);
}

std::vector<fs::path> shared_trc_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(femur::test::opensim_data()))
    if (e.is_regular_file() && e.path().extension() == ".trc") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(TrcReader, ReadsEverySharedTrcFileWithTheMarkersAndFramesItsHeaderAnnounces) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto files = shared_trc_files();
  ASSERT_GE(files.size(), 10u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    MarkerTable t;
    ASSERT_NO_THROW(t = femur::io::read_trc(f));
    const auto h = header_values(f);
    EXPECT_EQ(t.markers.size(), std::stoul(h.at("NumMarkers")));
    EXPECT_EQ(t.frames(), std::stoi(h.at("NumFrames")));
    EXPECT_EQ(t.num_frames_in_header, std::stoi(h.at("NumFrames")));
    EXPECT_EQ(t.units, h.at("Units"));
    EXPECT_EQ(t.data_rate, std::stod(h.at("DataRate")));
    EXPECT_EQ(t.data.cols(), 3 * static_cast<int>(t.markers.size()));
    // No marker of the shared files is missing, and frames count up from 1.
    EXPECT_FALSE(t.data.array().isNaN().any());
    ASSERT_EQ(t.frame_numbers.size(), static_cast<size_t>(t.frames()));
    EXPECT_EQ(t.frame_numbers.front(), 1);
    EXPECT_EQ(t.frame_numbers.back(), t.frames());
  }
}

TEST(TrcReader, Gait2354WalkHasItsMarkerNamesAndFirstValues) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  MarkerTable t = femur::io::read_trc(femur::test::opensim_file("Pipelines/Gait2354_Simbody/subject01_walk1.trc"));
  EXPECT_EQ(t.name, "subject01_walk1.trc");
  ASSERT_EQ(t.markers.size(), 41u);
  EXPECT_EQ(t.markers.front(), "R.ASIS");
  EXPECT_EQ(t.markers[1], "L.ASIS");
  EXPECT_EQ(t.markers.back(), "Top.Head");
  EXPECT_EQ(t.frames(), 151);
  EXPECT_EQ(t.units, "mm");
  EXPECT_EQ(t.camera_rate, 60.0);
  EXPECT_EQ(t.orig_num_frames, 151);
  EXPECT_EQ(t.time[1], 0.017);
  EXPECT_EQ(t.time[150], 2.5);
  EXPECT_EQ(t.position(0, 0), Eigen::Vector3d(617.247620, 1055.275020, 170.781980));
  EXPECT_EQ(t.position(1, t.marker("L.ASIS")), Eigen::Vector3d(641.236210, 1042.278560, -90.932130));
  EXPECT_EQ(t.marker("Nope"), -1);
  t.convert_to_metres();
  EXPECT_EQ(t.units, "m");
  EXPECT_DOUBLE_EQ(t.position(0, 0).x(), 0.61724762);
  t.convert_to_metres();  // already metres: unchanged
  EXPECT_DOUBLE_EQ(t.position(0, 0).x(), 0.61724762);
}

TEST(TrcReader, ReadsArm26FileWithoutBlankLineAndWithTrailingTabs) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const MarkerTable t = femur::io::read_trc(
      femur::test::opensim_file("Tutorials/Computed_Muscle_Control/OutputReference/InverseKinematics/arm26_elbow_flex.trc"));
  ASSERT_EQ(t.markers, (std::vector<std::string>{"r_acromion", "r_humerus_epicondyle", "r_radius_styloid"}));
  EXPECT_EQ(t.frames(), 121);
  EXPECT_EQ(t.data_rate, 120.0);
  EXPECT_EQ(t.position(0, 0), Eigen::Vector3d(-13.05452443, 39.50547557, 169.5054756));
  EXPECT_EQ(t.time[120], 1.0);
  EXPECT_EQ(t.position(120, 2), Eigen::Vector3d(231.0167559, -299.4841418, 230.9769121));
}

const char* kHeader =
    "PathFileType\t4\t(X/Y/Z)\tgaps.trc\n"
    "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
    "100\t100\t4\t2\tmm\t100\t1\t4\n"
    "Frame#\tTime\tA\t\t\tB C\t\t\n"
    "\t\tX1\tY1\tZ1\tX2\tY2\tZ2\n"
    "\n";

TEST(TrcReader, BlankCellsAndShortRowsAreMissingMarkers) {
  const std::string text = std::string(kHeader) +
                           "1\t0.00\t1\t2\t3\t4\t5\t6\n"
                           "2\t0.01\t1\t\t3\t4\t5\t6\n"   // A has an empty Y: all of A missing
                           "3\t0.02\t1\t2\t3\t4\n"         // B cut short: missing
                           "4\t0.03\t\t\t\t7\t8\t9\t\n"    // A empty, trailing tab
                           "\n"
                           "5\t0.04\t1\t2\t3\t4\t5\t6\n";  // after the empty line: not data
  const MarkerTable t = femur::io::parse_trc(text, "gaps.trc");
  ASSERT_EQ(t.frames(), 4);
  EXPECT_EQ(t.markers[1], "B C");
  EXPECT_EQ(t.position(0, 1), Eigen::Vector3d(4, 5, 6));
  EXPECT_TRUE(t.position(1, 0).array().isNaN().all());
  EXPECT_EQ(t.position(1, 1), Eigen::Vector3d(4, 5, 6));
  EXPECT_EQ(t.position(2, 0), Eigen::Vector3d(1, 2, 3));
  EXPECT_TRUE(t.position(2, 1).array().isNaN().all());
  EXPECT_TRUE(t.position(3, 0).array().isNaN().all());
  EXPECT_EQ(t.position(3, 1), Eigen::Vector3d(7, 8, 9));
  EXPECT_EQ(t.frame_numbers, (std::vector<int>{1, 2, 3, 4}));
}

// OpenSim writes a missing marker as NaN (TRCFileAdapter::extendWrite) and reads it back as
// missing: any NaN cell makes the whole marker missing in that frame.
TEST(TrcReader, NaNCellsAreMissingMarkers) {
  const std::string text = std::string(kHeader) +
                           "1\t0.00\tnan\tnan\tnan\t4\t5\t6\n"
                           "2\t0.01\t1\tNaN\t3\t4\t5\t6\n"
                           "3\t0.02\t1\t2\t3\t-nan\t5\t6\n"
                           "4\t0.03\t1\t2\t3\t4\t5\t6\n";
  const MarkerTable t = femur::io::parse_trc(text, "nan.trc");
  ASSERT_EQ(t.frames(), 4);
  EXPECT_TRUE(t.position(0, 0).array().isNaN().all());
  EXPECT_TRUE(t.position(1, 0).array().isNaN().all());
  EXPECT_EQ(t.position(1, 1), Eigen::Vector3d(4, 5, 6));
  EXPECT_TRUE(t.position(2, 1).array().isNaN().all());
  EXPECT_EQ(t.position(3, 0), Eigen::Vector3d(1, 2, 3));
}

TEST(TrcWriter, RoundTripsEverySharedFileExactly) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  for (const auto& f : shared_trc_files()) {
    const MarkerTable a = femur::io::read_trc(f);
    expect_identical(a, femur::io::parse_trc(femur::io::format_trc(a), "rt.trc"), f.string());
  }
}

TEST(TrcWriter, WritesOpenSimLayoutAndMissingMarkersAsEmptyCells) {
  std::string header = kHeader;
  header.replace(header.find("100\t100\t4"), 9, "100\t100\t2");  // NumFrames: the 2 rows below
  MarkerTable t = femur::io::parse_trc(header + "1\t0\t1\t2\t3\t4\t5\t6\n2\t0.01\t1\t\t3\t4\t5\t6\n", "gaps.trc");
  t.data(0, 0) = 0.1 + 0.2;  // needs 17 digits
  const std::string text = femur::io::format_trc(t);
  EXPECT_EQ(text,
            "PathFileType\t4\t(X/Y/Z)\tgaps.trc\n"
            "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
            "100\t100\t2\t2\tmm\t100\t1\t4\n"
            "Frame#\tTime\tA\t\t\tB C\t\t\t\n"
            "\t\tX1\tY1\tZ1\tX2\tY2\tZ2\t\n"
            "\n"
            "1\t0\t0.30000000000000004\t2\t3\t4\t5\t6\t\n"
            "2\t0.01\t\t\t\t4\t5\t6\t\n");
  const fs::path dir = femur::test::temp_dir("trc");
  femur::io::write_trc(dir / "gaps.trc", t);
  expect_identical(t, femur::io::read_trc(dir / "gaps.trc"), "written file");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST(TrcWriter, FillsDefaultsForATableMadeInCode) {
  MarkerTable t;
  t.markers = {"M"};
  t.time = Eigen::Vector2d(0.0, 0.5);
  t.data = Eigen::MatrixXd::Constant(2, 3, 1.25);
  t.data_rate = 2;
  const MarkerTable back = femur::io::parse_trc(femur::io::format_trc(t), "made.trc");
  EXPECT_EQ(back.frame_numbers, (std::vector<int>{1, 2}));
  EXPECT_EQ(back.camera_rate, 2.0);
  EXPECT_EQ(back.orig_num_frames, 2);
  EXPECT_EQ(back.units, "m");
  EXPECT_EQ(back.position(1, 0), Eigen::Vector3d(1.25, 1.25, 1.25));
  t.data.resize(2, 2);
  EXPECT_THROW(femur::io::format_trc(t), std::invalid_argument);
}

TEST(TrcBadInput, EachBadFileGivesItsPlaceAndProblem) {
  struct Case {
    const char* file;
    const char* message;
  };
  const Case cases[] = {
      {"trc_not_pathfiletype.trc", "trc_not_pathfiletype.trc:1: first line must start with 'PathFileType', found 'Frame#'"},
      {"trc_keys_values_mismatch.trc", "trc_keys_values_mismatch.trc:3: line 2 has 8 keys but line 3 has 7 values"},
      {"trc_num_markers_mismatch.trc", "trc_num_markers_mismatch.trc:4: NumMarkers=3 but line 4 names 2 markers"},
      {"trc_bad_num_markers.trc", "trc_bad_num_markers.trc:3: NumMarkers='two' is not a whole number"},
      {"trc_no_frame_column.trc", "trc_no_frame_column.trc:4: line 4 must start with 'Frame#' and 'Time' (tab-separated)"},
      {"trc_xyz_line_short.trc", "trc_xyz_line_short.trc:5: line 5 has 5 coordinate labels, expected 6 (X Y Z for each of 2 markers)"},
      {"trc_bad_value.trc", "trc_bad_value.trc:8:16: marker 'B' Y value '5,5' is not a number"},
      {"trc_row_too_long.trc", "trc_row_too_long.trc:7:17: row has 9 cells, expected 8 (Frame#, Time and X Y Z for each of 2 markers)"},
      {"trc_bad_time.trc", "trc_bad_time.trc:7:3: Time '' is not a number"},
      {"trc_truncated_header.trc", "trc_truncated_header.trc:4: file ends before the marker names line (Frame# Time ...)"},
      // Issue 21: as strict as the STO reader (and OpenSim's TimeSeriesTable for times).
      {"trc_inf_value.trc", "trc_inf_value.trc:8:10: marker 'A' Y value 'inf' is not finite"},
      {"trc_huge_value.trc", "trc_huge_value.trc:8:16: marker 'B' Y value '1e308' is out of range (beyond 1e9)"},
      {"trc_time_inf.trc", "trc_time_inf.trc:8:3: Time 'inf' is not finite"},
      {"trc_time_repeated.trc", "trc_time_repeated.trc:9:3: Time 0.01 repeats the previous frame's time; times must increase"},
      {"trc_time_decreasing.trc",
       "trc_time_decreasing.trc:9:3: Time 0.01 is before the previous frame's time 0.02; times must increase"},
      {"trc_truncated_rows.trc", "trc_truncated_rows.trc:3: header says NumFrames=5 but the file has 3 frames (truncated?)"},
      {"trc_duplicate_marker.trc", "trc_duplicate_marker.trc:4:17: marker 'A' is named twice (markers 1 and 2)"},
      // Issue 22: NumFrames below the rows present is an error too (not a silent cut).
      {"trc_more_rows_than_num_frames.trc",
       "trc_more_rows_than_num_frames.trc:3: header says NumFrames=2 but the file has 3 frames"},
  };
  const fs::path dir = femur::test::source_dir() / "tests" / "data" / "bad";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    ASSERT_TRUE(fs::exists(dir / c.file));
    try {
      femur::io::read_trc(dir / c.file);
      ADD_FAILURE() << "no error";
    } catch (const ParseError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind((dir / c.file).string() + ":", 0), 0u) << what;
      EXPECT_NE(what.find(c.message), std::string::npos) << what;
    }
  }
}

TEST(TrcBadInput, UnknownUnitsCannotBeConvertedToMetres) {
  MarkerTable t;
  t.units = "furlong";
  EXPECT_THROW(t.convert_to_metres(), std::invalid_argument);
}

}  // namespace
