// STO/MOT reader and writer: every OpenSim file of the shared data set, exact round trips,
// OpenSim 4 path labels, and the exact message for each malformed file we know of.
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
using femur::io::ParseError;
using femur::io::Table;

std::vector<fs::path> shared_files(std::initializer_list<const char*> extensions) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(femur::test::opensim_data())) {
    if (!e.is_regular_file()) continue;
    for (const char* ext : extensions)
      if (e.path().extension() == ext) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// OpenSim 4.6's RRA and CMC states files in Generated/ are damaged as written: an empty
// storage ("UNKNOWN", nRows=0, one column) was written over the start of the real file without
// truncating it, so the remains of the real header's last line ("der", "header", "endheader")
// follow and then the real labels and rows. femur refuses them at that line; a test that needs
// their rows reads from the last label line on (see Generated/README.md).
bool damaged_by_opensim(const fs::path& f) {
  std::ifstream in(f);
  std::string first;
  std::getline(in, first);
  return first == "UNKNOWN" && f.filename().string().find("states") != std::string::npos &&
         f.string().find("Generated") != std::string::npos;
}

bool same_double(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;  // bitwise: -0.0 differs from 0.0
}

void expect_identical(const Table& a, const Table& b, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.in_degrees, b.in_degrees);
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.data.cols(), b.data.cols());
  int bad = 0;
  for (int r = 0; r < a.rows(); ++r) {
    if (!same_double(a.time[r], b.time[r]) && bad++ < 3) ADD_FAILURE() << "time row " << r;
    for (int c = 0; c < a.data.cols(); ++c)
      if (!same_double(a.data(r, c), b.data(r, c)) && bad++ < 3)
        ADD_FAILURE() << "row " << r << " column " << a.labels[c] << ": " << a.data(r, c) << " vs " << b.data(r, c);
  }
  EXPECT_EQ(bad, 0);
}

// An independent reading of the data part (after `endheader` and the label line) with
// strtod on whitespace-separated tokens, to check the from_chars parser value by value.
std::vector<std::vector<double>> naive_rows(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.find("endheader") != std::string::npos) break;
  while (std::getline(in, line) && line.find_first_not_of(" \t\r") == std::string::npos) {
  }
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string cell;
    std::vector<double> row;
    while (cells >> cell) row.push_back(std::strtod(cell.c_str(), nullptr));
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

// The value of a header key as written ("nRows=5" or "datarows 5"), or -1.
long header_count(const fs::path& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line) && line.find("endheader") == std::string::npos) {
    if (line.rfind(key, 0) == 0 && line.size() > key.size() && (line[key.size()] == '=' || line[key.size()] == ' '))
      return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
  }
  return -1;
}

TEST(StoReader, ReadsEveryStoAndMotFileOfTheSharedDataAsStrtodDoes) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const auto files = shared_files({".sto", ".mot"});
  ASSERT_GT(files.size(), 100u) << "expected the ~200 STO/MOT files of the shared data";
  int damaged = 0;
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    if (damaged_by_opensim(f)) {
      ++damaged;
      try {
        femur::io::read_sto(f);
        ADD_FAILURE() << "a damaged file was read";
      } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find(":8:1: value '"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("' in column 'time' is not a number"), std::string::npos) << e.what();
      }
      continue;
    }
    Table t;
    ASSERT_NO_THROW(t = femur::io::read_sto(f));
    const auto rows = naive_rows(f);
    ASSERT_EQ(static_cast<size_t>(t.rows()), rows.size());
    for (int r = 0; r < t.rows(); ++r) {
      ASSERT_EQ(rows[r].size(), static_cast<size_t>(t.cols()) + 1) << "row " << r;
      ASSERT_TRUE(same_double(t.time[r], rows[r][0])) << "row " << r;
      for (int c = 0; c < t.cols(); ++c) ASSERT_TRUE(same_double(t.data(r, c), rows[r][c + 1])) << r << "," << c;
    }
    long n_rows = header_count(f, "nRows");
    if (n_rows < 0) n_rows = header_count(f, "datarows");
    if (n_rows >= 0) {
      EXPECT_EQ(t.rows(), n_rows);
    }
    long n_columns = header_count(f, "nColumns");
    // OpenSim only warns when nColumns disagrees with the labels; two shared files do
    // (Moco's example3DWalking coordinates say 40 for 32 columns).
    if (n_columns >= 0 && f.filename() != "DoublePendulum3D_InitialStates.sto" &&
        f.string().find("example3DWalking/coordinates.sto") == std::string::npos) {
      EXPECT_EQ(t.cols() + 1, n_columns);
    }
  }
  EXPECT_EQ(damaged, 4);  // Gait2354 RRA and CMC, Gait10dof18musc RRA and CMC
}

TEST(StoReader, RoundTripAtPrecision17GivesIdenticalDoublesForEverySharedFile) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  for (const auto& f : shared_files({".sto", ".mot"})) {
    if (damaged_by_opensim(f)) continue;
    const Table a = femur::io::read_sto(f);
    const std::string text = femur::io::format_sto(a, {.precision = 17});
    const Table b = femur::io::parse_sto(text, "roundtrip.sto");
    expect_identical(a, b, f.string());
  }
}

TEST(StoReader, Gait2354IkResultIsInDegreesWithItsCoordinates) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Table t = femur::io::read_sto(
      femur::test::opensim_file("Pipelines/Gait2354_Simbody/OutputReference/subject01_walk1_ik.mot"));
  EXPECT_TRUE(t.in_degrees);
  EXPECT_EQ(t.name, "Coordinates");
  EXPECT_EQ(t.cols() + 1, 24);  // nColumns=24 counts time
  EXPECT_EQ(t.rows(), 73);
  EXPECT_EQ(t.labels.front(), "pelvis_tilt");
  EXPECT_EQ(t.metadata.at("version"), "1");
  EXPECT_EQ(t.metadata.at("nRows"), "73");
  EXPECT_DOUBLE_EQ(t.time[0], 0.4);
  EXPECT_DOUBLE_EQ(t.data(0, t.column("pelvis_tilt")), 4.84455933);
  EXPECT_DOUBLE_EQ(t.data(0, t.column("hip_flexion_r")), 20.01810174);
  EXPECT_DOUBLE_EQ(t.time[t.rows() - 1], 1.6);
  ASSERT_EQ(t.comments.size(), 2u);
  EXPECT_EQ(t.comments[1], "Angles are in degrees.");
}

TEST(StoReader, SimmMotionFileWithoutVersionIsInDegreesAsInOpenSim) {
  // Storage.cpp: "Motion files from SIMM are in degrees" (no version line, .mot).
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Table t =
      femur::io::read_sto(femur::test::opensim_file("Pipelines/Gait2392_Simbody/OutputReference/subject01_walk1_ik.mot"));
  EXPECT_TRUE(t.in_degrees);
  EXPECT_EQ(t.name, "first trial");
  EXPECT_EQ(t.rows(), 211);
  EXPECT_EQ(t.cols(), 164);
  EXPECT_EQ(t.metadata.at("datarows"), "211");
  EXPECT_EQ(t.metadata.at("range"), "0.500000 4.000000");
  EXPECT_DOUBLE_EQ(t.time[1], 0.51700000000000002);
  // The same SIMM header in a .sto, or with inDegrees given, does not force degrees.
  const std::string simm = "x\n# SIMM Motion File Header:\ndatacolumns 2\ndatarows 1\nendheader\ntime\ta\n0\t1\n";
  EXPECT_TRUE(femur::io::parse_sto(simm, "a.mot").in_degrees);
  EXPECT_FALSE(femur::io::parse_sto(simm, "a.sto").in_degrees);
  EXPECT_FALSE(femur::io::parse_sto("version=1\ninDegrees=no\nendheader\ntime\ta\n0\t1\n", "a.mot").in_degrees);
}

TEST(StoReader, TrimsSpacePaddedLabelsOfTheGrfFile) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Table t =
      femur::io::read_sto(femur::test::opensim_file("Tutorials/Estimating_Joint_Reaction_Loads/subject01_walk1_grf.mot"));
  EXPECT_EQ(t.rows(), 9009);
  EXPECT_EQ(t.cols(), 18);
  EXPECT_EQ(t.labels.front(), "right_foot_force_vx");
  EXPECT_DOUBLE_EQ(t.data(0, t.column("right_foot_force_vy")), 745.46611415);
  EXPECT_DOUBLE_EQ(t.time[1], 0.0017);
}

TEST(StoReader, FindsCoordinatesInsideOpenSim4PathLabels) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Table t =
      femur::io::read_sto(femur::test::opensim_file("Generated/Gait2354_Simbody/Scale/subject01_static_output.mot"));
  ASSERT_EQ(t.labels[0], "/jointset/ground_pelvis/pelvis_tilt/value");
  ASSERT_EQ(t.labels[1], "/jointset/ground_pelvis/pelvis_tilt/speed");
  EXPECT_EQ(t.column("pelvis_tilt"), 0);
  EXPECT_EQ(t.column("/jointset/ground_pelvis/pelvis_tilt/speed"), 1);
  EXPECT_DOUBLE_EQ(t.data(0, t.column("pelvis_tilt")), -0.02613672);
  EXPECT_EQ(t.column("ground_pelvis"), -1);
}

TEST(TableColumn, MatchesExactLabelsThenNamesInsidePaths) {
  Table t;
  t.labels = {"/jointset/hip_r/hip_flexion_r/speed", "/jointset/hip_r/hip_flexion_r/value",
              "/forceset/glut_med1_r/activation",    "/forceset/soleus_r|tendon_force",
              "/forceset/tib_ant_r",                 "knee_angle_r",
              "knee_angle_r_u",                      "a|b/c"};
  EXPECT_EQ(t.column("/jointset/hip_r/hip_flexion_r/speed"), 0);
  EXPECT_EQ(t.column("hip_flexion_r"), 1);  // the value, though the speed comes first
  EXPECT_EQ(t.column("glut_med1_r"), 2);
  EXPECT_EQ(t.column("soleus_r"), 3);
  EXPECT_EQ(t.column("tib_ant_r"), 4);
  EXPECT_EQ(t.column("knee_angle_r"), 5);
  EXPECT_EQ(t.column("a|b/c"), 7);
  // A path asked of a table with bare OpenSim 3 labels.
  EXPECT_EQ(t.column("/jointset/knee_r/knee_angle_r/value"), 5);
  EXPECT_EQ(t.column("/jointset/knee_r/knee_angle_r/speed"), 6);
  EXPECT_EQ(t.column("hip_r"), -1);
  EXPECT_EQ(t.column("hip"), -1);
  EXPECT_EQ(t.column(""), -1);
}

TEST(StoReader, ReadsVersion2HeadersWithMetadataAndSpaces) {
  const std::string text =
      "DataType=double\nversion=2\nOpenSimVersion=4.5\ninDegrees=no\nsome free text\nendheader\n"
      "time  /jointset/j/q/value   /forceset/m|activation\n"
      "0.0   1.5   +2\n"
      "0.01  -1e-3   -4E+2\n"
      "\n";
  const Table t = femur::io::parse_sto(text, "v2.sto");
  EXPECT_EQ(t.name, "");
  EXPECT_EQ(t.metadata.at("OpenSimVersion"), "4.5");
  EXPECT_EQ(t.metadata.at("version"), "2");
  ASSERT_EQ(t.comments.size(), 1u);
  EXPECT_EQ(t.comments[0], "some free text");
  ASSERT_EQ(t.labels.size(), 2u);
  EXPECT_EQ(t.labels[1], "/forceset/m|activation");
  ASSERT_EQ(t.rows(), 2);
  EXPECT_EQ(t.data(0, 1), 2.0);
  EXPECT_EQ(t.data(1, 0), -1e-3);
  EXPECT_EQ(t.data(1, 1), -400.0);
  EXPECT_EQ(t.column("m"), 1);
}

// Finite values read as strtod reads them; NaN, Inf and values beyond the range of a double
// are errors (StoBadInput).
TEST(StoReader, ReadsValuesAsStrtodDoesIncludingExtremes) {
  const char* cells[] = {"1e-320", "4.9406564584124654e-324", "1.7976931348623157e308", "-1.7976931348623157e308",
                         "1e-400", "-0",                      ".5",                     "5.",
                         "+0.25"};
  std::string text = "endheader\ntime";
  for (size_t i = 0; i < std::size(cells); ++i) text += "\tc" + std::to_string(i);
  text += "\n0";
  for (const char* c : cells) text += std::string("\t") + c;
  text += "\n";
  const Table t = femur::io::parse_sto(text, "x.sto");
  for (size_t i = 0; i < std::size(cells); ++i)
    EXPECT_TRUE(same_double(t.data(0, static_cast<int>(i)), std::strtod(cells[i], nullptr))) << cells[i];
}

TEST(StoReader, FileWithoutRowCountsOrNameIsFine) {
  const Table t = femur::io::parse_sto("endheader\ntime\tx\n0\t1\n1\t2\n", "bare.sto");
  EXPECT_EQ(t.rows(), 2);
  EXPECT_EQ(t.data(1, 0), 2.0);
  EXPECT_FALSE(t.in_degrees);
  // A header row count of zero with no rows (OpenSim's empty controls files) too.
  EXPECT_EQ(femur::io::parse_sto("controls\nnRows=0\nnColumns=1\nendheader\ntime\n", "c.sto").rows(), 0);
}

TEST(StoReader, HugeRowCountFailsWithoutAllocatingForIt) {
  // nRows is checked against the rows found; nothing is reserved from it.
  std::string labels = "time";
  for (int i = 0; i < 1000; ++i) labels += "\tc" + std::to_string(i);
  try {
    femur::io::parse_sto("nRows=4000000000000\nendheader\n" + labels + "\n", "huge.sto");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "huge.sto:1: header says 4000000000000 rows but the file has 0 data rows");
  }
}

TEST(StoReader, ARepeatedTimeIsReadAndRemovedByRemoveRepeatedTimes) {
  Table t = femur::io::parse_sto("endheader\ntime\tx\n0\t1\n0.5\t2\n0.5\t3\n", "rep.sto");
  EXPECT_EQ(t.rows(), 3);
  EXPECT_EQ(femur::io::remove_repeated_times(t), 1);
  EXPECT_EQ(t.rows(), 2);
  EXPECT_EQ(t.data(1, 0), 3.0);
}

// ---- Writer ----

Table small_table() {
  Table t;
  t.name = "walk";
  t.labels = {"hip_flexion_r", "/forceset/soleus_r/activation"};
  t.time = Eigen::Vector3d(0.0, 0.01, 0.02);
  t.data.resize(3, 2);
  t.data << 1.0 / 3.0, 0.1, -2.5e-7, 1e300, 12345.678, std::numeric_limits<double>::quiet_NaN();
  t.in_degrees = true;
  t.metadata["OpenSimVersion"] = "4.5";
  t.metadata["nRows"] = "99";  // stale, regenerated
  t.comments = {"Units are S.I. units (second, meters, Newtons, ...)"};
  return t;
}

TEST(StoWriter, WritesTheHeaderOpenSimStorageReads) {
  const std::string text = femur::io::format_sto(small_table(), {.precision = 6});
  const std::string expected_head =
      "walk\nversion=1\nnRows=3\nnColumns=3\ninDegrees=yes\nOpenSimVersion=4.5\n"
      "Units are S.I. units (second, meters, Newtons, ...)\nendheader\n"
      "time\thip_flexion_r\t/forceset/soleus_r/activation\n"
      "0\t0.333333\t0.1\n"
      "0.01\t-2.5e-07\t1e+300\n"
      "0.02\t12345.7\tNaN\n";
  EXPECT_EQ(text, expected_head);
  const std::string empty = femur::io::format_sto(Table{});
  EXPECT_EQ(empty, "version=1\nnRows=0\nnColumns=1\ninDegrees=no\nendheader\ntime\n");
}

TEST(StoWriter, MotHeaderAddsTheSimmKeys) {
  Table t = small_table();
  t.data(2, 1) = 0.5;  // NaN is written but not read back (StoBadInput)
  const std::string text = femur::io::format_sto(t, {.precision = 8, .mot_header = true});
  EXPECT_NE(text.find("inDegrees=yes\n"), std::string::npos);
  EXPECT_NE(text.find("name walk\ndatacolumns 3\ndatarows 3\nrange 0 0.02\n"), std::string::npos);
  const Table back = femur::io::parse_sto(text, "w.mot");
  EXPECT_EQ(back.rows(), 3);
  EXPECT_EQ(back.name, "walk");
}

TEST(StoWriter, RoundTripsDoublesExactlyAtPrecision17) {
  Table t = small_table();
  t.data(0, 0) = std::nextafter(0.1, 1.0);
  t.data(1, 0) = -0.0;
  t.data(2, 0) = std::numeric_limits<double>::denorm_min();
  t.data(2, 1) = -1.25e-300;  // NaN is written but not read back (StoBadInput)
  const fs::path dir = femur::test::temp_dir("sto");
  femur::io::write_sto(dir / "t.sto", t, {.precision = 17});
  expect_identical(t, femur::io::read_sto(dir / "t.sto"), "small table");
  // Atomic write: nothing but the file is left in the folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  // At 16 digits nextafter(0.1) does not survive; this is what precision means.
  const Table rounded = femur::io::parse_sto(femur::io::format_sto(t, {.precision = 16}), "r.sto");
  EXPECT_EQ(rounded.data(0, 0), 0.1);
}

TEST(StoWriter, RejectsInconsistentTables) {
  Table t = small_table();
  t.labels.pop_back();
  EXPECT_THROW(femur::io::format_sto(t), std::invalid_argument);
  t = small_table();
  t.labels[0] = "has space";
  EXPECT_THROW(femur::io::format_sto(t), std::invalid_argument);
  EXPECT_THROW(femur::io::format_sto(small_table(), {.precision = 0}), std::invalid_argument);
}

// ---- Bad input: each file in tests/data/bad gives exactly this message. ----

struct BadCase {
  const char* file;
  const char* message;  // what() from the file name on
};

TEST(StoBadInput, EachBadFileGivesItsPlaceAndProblem) {
  const BadCase cases[] = {
      {"sto_row_too_short.sto", "sto_row_too_short.sto:8: row has 2 values, expected 3 (time and 2 columns)"},
      {"sto_row_too_long.mot", "sto_row_too_long.mot:6: row has 4 values, expected 3 (time and 2 columns)"},
      {"sto_not_a_number.sto", "sto_not_a_number.sto:9:10: value '0.3x' in column 'knee_angle_r' is not a number"},
      {"sto_nrows_too_large.sto", "sto_nrows_too_large.sto:3: header says 500 rows but the file has 2 data rows"},
      {"sto_nrows_absurd.sto", "sto_nrows_absurd.sto:2: nRows=99999999999999999999999 is too large"},
      {"sto_nrows_not_a_number.mot", "sto_nrows_not_a_number.mot:3: datarows='many' is not a whole number"},
      {"sto_no_endheader.sto", "sto_no_endheader.sto:5: no 'endheader' line: the header never ends"},
      {"sto_no_labels.sto", "sto_no_labels.sto:4: no column labels after 'endheader'"},
      {"sto_first_column_not_time.sto", "sto_first_column_not_time.sto:5: first column is 'frame', expected 'time'"},
      {"sto_bad_in_degrees.sto", "sto_bad_in_degrees.sto:5: inDegrees='maybe' is neither yes nor no"},
      {"sto_datatype_vec3.sto", "sto_datatype_vec3.sto:1: DataType=Vec3 is not supported (only double columns)"},
      {"sto_empty.sto", "sto_empty.sto: file is empty"},
      // Non-finite values and times going back (issue 21): errors at their line and column.
      {"sto_nan_cell.mot", "sto_nan_cell.mot:9:6: value 'NaN' in column 'hip_flexion_r' is not a number (NaN)"},
      {"sto_inf_cell.sto", "sto_inf_cell.sto:10:6: value '-inf' in column 'hip_flexion_r' is not finite"},
      {"sto_overflow_cell.sto", "sto_overflow_cell.sto:9:10: value '1e400' in column 'knee_angle_r' is not finite"},
      {"sto_time_inf.sto", "sto_time_inf.sto:10:1: value 'inf' in column 'time' is not finite"},
      {"sto_time_decreasing.sto", "sto_time_decreasing.sto:10:1: time 0.01 is before the previous row's time 0.02"},
  };
  const fs::path dir = femur::test::source_dir() / "tests" / "data" / "bad";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    ASSERT_TRUE(fs::exists(dir / c.file));
    try {
      femur::io::read_sto(dir / c.file);
      ADD_FAILURE() << "no error";
    } catch (const ParseError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind((dir / c.file).string() + ":", 0), 0u) << what;  // starts with the path
      EXPECT_NE(what.find(c.message), std::string::npos) << what;
      EXPECT_EQ(e.file(), (dir / c.file).string());
    }
  }
}

TEST(StoBadInput, MissingFileOrDirectoryNamesThePath) {
  try {
    femur::io::read_sto("/nonexistent/dir/x.sto");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/dir/x.sto: cannot open file for reading");
  }
  const fs::path dir = femur::test::temp_dir("sto-dir");
  try {
    femur::io::read_sto(dir);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), dir.string() + ": is a directory, not a file");
  }
}

}  // namespace

// Found by fuzz/sto_fuzz.cpp (a shipped controls file has this shape): a header announcing
// zero rows gives an empty table, without touching a null buffer.
TEST(StoRegression, HeaderWithZeroRowsGivesAnEmptyTable) {
  const femur::io::Table t =
      femur::io::parse_sto("controls\nnRows=0\nnColumns=2\nendheader\ntime\tmuscle\n", "empty.sto");
  EXPECT_EQ(t.rows(), 0);
  ASSERT_EQ(t.cols(), 1);
  EXPECT_EQ(t.labels[0], "muscle");
  EXPECT_EQ(t.data.rows(), 0);
}

// Shipped coordinate files (Tutorials/Working_with_Static_Optimization) end with their last
// time twice (values differing in the last digit); the later row replaces the earlier one.
TEST(StoRepeatedTimes, ALaterRowWithTheSameTimeReplacesTheEarlierOne) {
  femur::io::Table t = femur::io::parse_sto(
      "x\nendheader\ntime\ta\n0.1\t1\n0.2\t2\n0.2\t2.5\n0.3\t3\n0.3\t4\n0.3\t5\n", "repeat.sto");
  EXPECT_EQ(femur::io::remove_repeated_times(t), 3);
  ASSERT_EQ(t.rows(), 3);
  EXPECT_DOUBLE_EQ(t.time[1], 0.2);
  EXPECT_DOUBLE_EQ(t.data(1, 0), 2.5);
  EXPECT_DOUBLE_EQ(t.time[2], 0.3);
  EXPECT_DOUBLE_EQ(t.data(2, 0), 5.0);
}
