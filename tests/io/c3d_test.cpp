// C3D reader: the two OpenSim test trials (walking2.c3d, walking5.c3d) against their own
// header read byte by byte here, against values OpenSim published for them, and against
// physics; C3D files built byte by byte in the test (every processor type, integer and float
// storage, force plates of types 2, 3 and 4 loaded at a known point); the message for each
// kind of broken file; and `femur convert` end to end.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Geometry>

#include "femur/io/c3d.hpp"
#include "femur/io/error.hpp"
#include "femur/io/table.hpp"
#include "support/test_data.hpp"

namespace {
namespace fs = std::filesystem;
using femur::io::C3dFile;
using femur::io::ParseError;
using Bytes = std::vector<std::uint8_t>;

Bytes file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

// --- The shipped trials ------------------------------------------------------------------

// Header words read here independently of the reader (Intel byte order, which both trials
// use: parameter header byte 4 = 84).
struct RawHeader {
  int parameter_block, key, points, analog_values, first, last, data_start, analog_per_frame, processor;
  float scale, rate;
};
RawHeader raw_header(const Bytes& b) {
  auto w = [&](int word) { return int(std::int16_t(b[2 * (word - 1)] | b[2 * (word - 1) + 1] << 8)); };
  auto f = [&](int word) {
    float v;
    std::memcpy(&v, &b[2 * (word - 1)], 4);
    return v;
  };
  RawHeader h{};
  h.parameter_block = b[0];
  h.key = b[1];
  h.points = w(2);
  h.analog_values = w(3);
  h.first = w(4);
  h.last = w(5);
  h.scale = f(7);
  h.data_start = w(9);
  h.analog_per_frame = w(10);
  h.rate = f(11);
  h.processor = b[(h.parameter_block - 1) * 512 + 3];
  return h;
}

struct Trial {
  const char* file;
  int markers, frames, channels;
  double point_rate, analog_rate;
};
// The expected counts: printed by this test from the headers (see the RecordProperty calls)
// and equal to what OpenSim's std_walking*_markers.trc headers say (44 markers x 126 rows
// there for walking2 is every 10th of its 1249 frames).
const Trial kTrials[] = {{"c3d/walking2.c3d", 44, 1249, 12, 250.0, 2000.0},
                         {"c3d/walking5.c3d", 40, 1103, 12, 250.0, 2000.0}};

TEST(C3dTrials, CountsAndRatesAgreeWithTheHeaderAndTheParameters) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  for (const Trial& t : kTrials) {
    SCOPED_TRACE(t.file);
    const fs::path path = femur::test::opensim_file(t.file);
    const RawHeader h = raw_header(file_bytes(path));
    const C3dFile c3d = femur::io::read_c3d(path);
    std::printf("%s: processor %d, %d points, %d frames (%d..%d), %g Hz, scale %g; %d analog channels x %d "
                "samples/frame = %d samples at %g Hz; POINT:UNITS %s\n",
                t.file, h.processor, h.points, h.last - h.first + 1, h.first, h.last, h.rate, h.scale,
                h.analog_values / h.analog_per_frame, h.analog_per_frame, c3d.analog_samples(), c3d.analog_rate,
                c3d.point_units.c_str());
    EXPECT_EQ(h.key, 0x50);
    EXPECT_EQ(c3d.processor, h.processor);
    // Header vs reader vs parameters, each count two ways.
    EXPECT_EQ(c3d.point_count(), h.points);
    EXPECT_EQ(c3d.point_count(), t.markers);
    EXPECT_EQ(static_cast<int>(c3d.marker_indices().size()), t.markers);
    EXPECT_EQ(c3d.parameter("POINT:USED")->number(), t.markers);
    EXPECT_EQ(static_cast<int>(c3d.parameter("POINT:LABELS")->strings.size()), t.markers);
    EXPECT_EQ(c3d.frames(), h.last - h.first + 1);
    EXPECT_EQ(c3d.frames(), t.frames);
    EXPECT_EQ(c3d.parameter("POINT:FRAMES")->number(), t.frames);
    EXPECT_EQ(c3d.point_rate, h.rate);
    EXPECT_EQ(c3d.point_rate, t.point_rate);
    EXPECT_EQ(c3d.parameter("POINT:RATE")->number(), t.point_rate);
    EXPECT_EQ(c3d.float_storage, h.scale < 0);
    EXPECT_EQ(c3d.data_start_block, h.data_start);
    EXPECT_EQ(c3d.analogs.cols(), h.analog_values / h.analog_per_frame);
    EXPECT_EQ(c3d.analogs.cols(), t.channels);
    EXPECT_EQ(c3d.parameter("ANALOG:USED")->number(), t.channels);
    EXPECT_EQ(c3d.analog_rate, t.analog_rate);
    EXPECT_EQ(c3d.analog_rate, h.rate * h.analog_per_frame);
    EXPECT_EQ(c3d.parameter("ANALOG:RATE")->number(), t.analog_rate);
    EXPECT_EQ(c3d.analog_samples(), t.frames * h.analog_per_frame);
    EXPECT_EQ(c3d.point_units, "mm");
    EXPECT_EQ(c3d.force_plates.size(), 2u);
    EXPECT_TRUE(c3d.warnings.empty()) << c3d.warnings.front();
    // The file ends exactly after the last frame (a check that the frame size is right).
    const std::int64_t frame_bytes = (4 * h.points + h.analog_values) * (h.scale < 0 ? 4 : 2);
    EXPECT_EQ(static_cast<std::int64_t>(fs::file_size(path)) - (h.data_start - 1) * 512, frame_bytes * t.frames);
  }
}

// OpenSim's std_walking2_markers.trc (opensim-core OpenSim/Common/Test, exported by Mokka
// with 5 significant digits, one row every 10 frames: its row k is frame 10(k-1)+1).
TEST(C3dTrials, Walking2MarkersMatchOpenSimsReferenceTrc) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const C3dFile c3d = femur::io::read_c3d(femur::test::opensim_file("c3d/walking2.c3d"));
  struct Ref {
    int frame_index;
    const char* marker;
    double x, y, z;
  };
  const Ref refs[] = {{210, "RTH1", -2552.2, 300.46, 860.36},  {210, "RFHD", -2414.9, 398.19, 1656},
                      {270, "RTH1", -2212.5, 307.22, 884.74},  {270, "RFHD", -2065.6, 397.2, 1704.7},
                      {270, "RTH3", -2236.7, 333, 684.19},     {270, "LTH2", -2054.5, 614.51, 800.47},
                      {270, "LTH3", -2118.6, 632.92, 668.16},  {270, "LTB1", -2032.8, 546.68, 443.81},
                      {250, "LTH2", -2193.2, 616.25, 776.47}};
  for (const Ref& r : refs) {
    SCOPED_TRACE(std::string(r.marker) + " frame index " + std::to_string(r.frame_index));
    const int m = c3d.point_index(r.marker);
    ASSERT_GE(m, 0);
    // 5 significant digits in the reference: half a unit of its last digit.
    auto tol = [](double v) { return 0.5 * std::pow(10.0, std::floor(std::log10(std::abs(v))) - 4) + 1e-9; };
    EXPECT_NEAR(c3d.points(r.frame_index, 3 * m), r.x, tol(r.x));
    EXPECT_NEAR(c3d.points(r.frame_index, 3 * m + 1), r.y, tol(r.y));
    EXPECT_NEAR(c3d.points(r.frame_index, 3 * m + 2), r.z, tol(r.z));
  }
  // Missing in the reference (empty cells there), invalid residual here.
  EXPECT_TRUE(std::isnan(c3d.points(210, 3 * c3d.point_index("RTH3"))));
  EXPECT_TRUE(std::isnan(c3d.points(0, 0)));
  EXPECT_LT(c3d.residuals(0, 0), 0);
}

// OpenSim's std_cop_walking2_grfs.sto and std_cop_walking5_grfs.sto (opensim-core
// OpenSim/Common/Test: C3DFileAdapter with ForceLocation::CenterOfPressure, i.e. ezc3d):
// force f, COP p (mm) and free moment m (N mm) of each plate at the sample of time t.
struct GrfRef {
  const char* file;
  double t;
  int plate;
  std::array<double, 3> f, p;
  double mz;
};
const GrfRef kGrfRefs[] = {
    {"c3d/walking2.c3d", 0.0, 0, {2.275110006332397, -0.8897200226783752, -14.20642757415771},
     {824.7939239342719, 579.5466422827307, 0}, -635.2889199580012},
    {"c3d/walking2.c3d", 0.0, 1, {1.254680037498474, -0.8000999689102173, -19.86564064025879},
     {279.0050239676364, 523.787602460324, 0}, -996.4149352506101},
    {"c3d/walking2.c3d", 2.54, 0, {2.408940076828003, -0.9342060089111328, -14.03103923797607},
     {826.5509787215856, 576.0015862854627, 0}, -582.0035475659388},
    {"c3d/walking2.c3d", 2.54, 1, {20.92626953125, -14.35735034942627, 375.0075378417969},
     {70.58813005982859, 573.5151615052509, 0}, -5944.428971417793},
    {"c3d/walking2.c3d", 2.774, 0, {-158.2316741943359, 31.45160293579102, 894.6541748046875},
     {768.9094865431805, 459.4645102576396, 0}, -1645.389278965646},
    {"c3d/walking2.c3d", 2.774, 1, {3.584800004959106, -2.266949892044067, -17.60025978088379},
     {291.4903400960214, 526.9774137871078, 0}, -615.72726274459},
    {"c3d/walking5.c3d", 2.06, 0, {65.75514221191406, 23.35515022277832, 498.9788513183594},
     {1123.35136298722, 454.8158512956104, 0}, -1422.39731997305},
    {"c3d/walking5.c3d", 2.06, 1, {1.747590065002441, -1.422399997711182, -16.90322113037109},
     {276.2942081640531, 518.2492894183074, 0}, -1032.128221773037},
};

// Measured: forces 2.8e-14 N, COP 2.3e-13 mm, free moments 4.1e-12 N mm.
constexpr double kForce = 3e-13, kCop = 2.3e-12, kMoment = 4e-11;

TEST(C3dTrials, ForcePlatesMatchOpenSimsReferenceGrfs) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  double worst_f = 0, worst_p = 0, worst_m = 0;
  for (const char* file : {"c3d/walking2.c3d", "c3d/walking5.c3d"}) {
    const C3dFile c3d = femur::io::read_c3d(femur::test::opensim_file(file));
    for (const GrfRef& r : kGrfRefs) {
      if (std::string(r.file) != file) continue;
      SCOPED_TRACE(std::string(file) + " t=" + std::to_string(r.t) + " plate " + std::to_string(r.plate + 1));
      const int s = static_cast<int>(std::lround(r.t * c3d.analog_rate));
      const auto& fp = c3d.force_plates[size_t(r.plate)];
      // The reference holds 16 digits of the same float inputs; the arithmetic (one division
      // for the COP) may differ in the last bits only (bounds: 10x the measured worst).
      for (int k = 0; k < 3; ++k) {
        worst_f = std::max(worst_f, std::abs(fp.force(s, k) - r.f[size_t(k)]));
        worst_p = std::max(worst_p, std::abs(fp.cop(s, k) - r.p[size_t(k)]));
        EXPECT_NEAR(fp.force(s, k), r.f[size_t(k)], kForce);
        EXPECT_NEAR(fp.cop(s, k), r.p[size_t(k)], kCop);
      }
      worst_m = std::max({worst_m, std::abs(fp.free_moment(s, 0)), std::abs(fp.free_moment(s, 1)),
                          std::abs(fp.free_moment(s, 2) - r.mz)});
      EXPECT_NEAR(fp.free_moment(s, 0), 0.0, kMoment);
      EXPECT_NEAR(fp.free_moment(s, 1), 0.0, kMoment);
      EXPECT_NEAR(fp.free_moment(s, 2), r.mz, kMoment);
    }
  }
  std::printf("force plates vs OpenSim's adapter: forces %.2e N, COP %.2e mm, free moments %.2e N mm\n", worst_f,
              worst_p, worst_m);
}

TEST(C3dTrials, GroundReactionsArePhysical) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  for (const Trial& t : kTrials) {
    SCOPED_TRACE(t.file);
    const C3dFile c3d = femur::io::read_c3d(femur::test::opensim_file(t.file));
    const int n = c3d.analog_samples();
    // Lab z is up in both trials: the plates' z axes (C3D: into the floor) point to -z.
    for (const auto& fp : c3d.force_plates) EXPECT_NEAR(fp.R_lab_plate(2, 2), -1.0, 1e-12);
    std::vector<int> first(2, -1), last(2, -1);
    for (size_t p = 0; p < 2; ++p) {
      const auto& fp = c3d.force_plates[p];
      double fmax = 0;
      int outside = 0, stance = 0;
      const double x0 = std::min({fp.corners[0].x(), fp.corners[1].x(), fp.corners[2].x(), fp.corners[3].x()});
      const double x1 = std::max({fp.corners[0].x(), fp.corners[1].x(), fp.corners[2].x(), fp.corners[3].x()});
      const double y0 = std::min({fp.corners[0].y(), fp.corners[1].y(), fp.corners[2].y(), fp.corners[3].y()});
      const double y1 = std::max({fp.corners[0].y(), fp.corners[1].y(), fp.corners[2].y(), fp.corners[3].y()});
      for (int s = 0; s < n; ++s) {
        const double fz = fp.force(s, 2);
        fmax = std::max(fmax, fz);
        if (fz > 50) {
          if (first[p] < 0) first[p] = s;
          last[p] = s;
        }
        if (fz > 200) {
          ++stance;
          // Strictly inside above 250 N. Just after heel strike (walking2, plate 2, the first
          // 3 ms above 200 N) the heel lands on the plate's edge and the uncorrected baseline
          // (about -20 N) moves the COP up to 17 mm beyond it: 20 mm of margin below 250 N.
          const double x = fp.cop(s, 0), y = fp.cop(s, 1), margin = fz > 250 ? 0.0 : 20.0;
          outside += x < x0 - margin || x > x1 + margin || y < y0 - margin || y > y1 + margin;
          EXPECT_NEAR(fp.cop(s, 2), 0.0, 1e-9);
        }
      }
      std::printf("%s plate %zu: peak vertical force %.1f N, loaded (> 50 N) %.3f..%.3f s, %d samples > 200 N\n",
                  t.file, p + 1, fmax, first[p] / c3d.analog_rate, last[p] / c3d.analog_rate, stance);
      // The file stores the upward reaction: positive and about 1-1.3 body weights at peak.
      EXPECT_GT(fmax, 700.0);
      EXPECT_LT(fmax, 1200.0);
      EXPECT_GT(stance, 0.3 * c3d.analog_rate);  // stance lasts > 0.3 s
      EXPECT_EQ(outside, 0) << "COP outside the plate's corners during stance";
      // In the air (more than 0.1 s away from contact) the plate reads only its baseline,
      // which the file leaves uncorrected (FORCE_PLATFORM:ZERO = 1, 0: no zero range): < 30 N.
      const int margin = static_cast<int>(0.1 * c3d.analog_rate);
      for (int s = 0; s < n; ++s)
        if (s < first[p] - margin || s > last[p] + margin) {
          ASSERT_LT(fp.force.row(s).norm(), 30.0) << "sample " << s;
        }
    }
    // Double support (both plates loaded): the two vertical forces add up to about the body
    // weight (500-1000 N for an adult).
    double sum = 0;
    int count = 0;
    for (int s = 0; s < n; ++s) {
      const double a = c3d.force_plates[0].force(s, 2), b = c3d.force_plates[1].force(s, 2);
      if (a > 50 && b > 50) sum += a + b, ++count;
    }
    ASSERT_GT(count, 0);
    std::printf("%s: double support %d samples, mean total vertical force %.1f N\n", t.file, count, sum / count);
    EXPECT_GT(sum / count, 500.0);
    EXPECT_LT(sum / count, 1000.0);
  }
}

// Identities between the outputs of a plate, sample by sample, on the real trials: the
// moment about the plate centre equals the free moment plus (COP - centre) x F, and the
// force is the plate's analog channels (Fx Fy Fz, type 2) turned by R_lab_plate.
TEST(C3dTrials, PlateWrenchIdentitiesHoldAtEverySample) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const C3dFile c3d = femur::io::read_c3d(femur::test::opensim_file("c3d/walking5.c3d"));
  for (const auto& fp : c3d.force_plates) {
    ASSERT_EQ(fp.type, 2);
    EXPECT_NEAR((fp.R_lab_plate.transpose() * fp.R_lab_plate - Eigen::Matrix3d::Identity()).norm(), 0, 1e-12);
    EXPECT_NEAR(fp.R_lab_plate.determinant(), 1.0, 1e-12);
    double worst_moment = 0, worst_force = 0;
    for (int s = 0; s < c3d.analog_samples(); ++s) {
      const Eigen::Vector3d F = fp.force.row(s).transpose(), P = fp.cop.row(s).transpose();
      const Eigen::Vector3d T = fp.free_moment.row(s).transpose(), M = fp.moment_at_centre.row(s).transpose();
      worst_moment = std::max(worst_moment, (M - (T + (P - fp.centre).cross(F))).norm() / std::max(1.0, M.norm()));
      const Eigen::Vector3d raw(c3d.analogs(s, fp.channels[0]), c3d.analogs(s, fp.channels[1]), c3d.analogs(s, fp.channels[2]));
      worst_force = std::max(worst_force, (F - fp.R_lab_plate * raw).norm());
    }
    EXPECT_LT(worst_moment, 1e-12);
    EXPECT_EQ(worst_force, 0.0);
  }
}

// --- C3D files built byte by byte ----------------------------------------------------------

// Writes numbers in the byte order (and float format) of a processor type.
struct Encoder {
  int processor = 84;
  void i16(Bytes& out, int v) const {
    const auto u = static_cast<std::uint16_t>(static_cast<std::int16_t>(v));
    if (processor == 86) out.insert(out.end(), {std::uint8_t(u >> 8), std::uint8_t(u & 0xff)});
    else out.insert(out.end(), {std::uint8_t(u & 0xff), std::uint8_t(u >> 8)});
  }
  void f32(Bytes& out, float v) const {
    std::uint32_t bits;
    if (processor == 85) v *= 4.0f;  // DEC: exponent bias 2 higher
    std::memcpy(&bits, &v, 4);
    const std::uint8_t b0 = bits & 0xff, b1 = (bits >> 8) & 0xff, b2 = (bits >> 16) & 0xff, b3 = bits >> 24;
    if (processor == 86) out.insert(out.end(), {b3, b2, b1, b0});
    else if (processor == 85) out.insert(out.end(), {b2, b3, b0, b1});  // words swapped
    else out.insert(out.end(), {b0, b1, b2, b3});
  }
};

struct Param {
  int group;
  std::string name;
  int type;
  std::vector<int> dims;
  Bytes data;  // raw, already encoded
};

// A small C3D writer for tests: header, groups and parameters, frames.
struct Builder {
  Encoder enc;
  std::vector<std::pair<int, std::string>> groups{{1, "POINT"}, {2, "ANALOG"}, {3, "FORCE_PLATFORM"}};
  std::vector<Param> params;
  int points = 0, channels = 0, per_frame = 0, first = 1, frames = 0;
  float scale = -0.1f, rate = 100.0f;
  std::vector<double> values;  // every value of every frame in file order (points then analogs)

  Param& add(int group, const std::string& name, int type, std::vector<int> dims, Bytes data) {
    params.push_back({group, name, type, std::move(dims), std::move(data)});
    return params.back();
  }
  void ints(int group, const std::string& name, std::vector<int> v, std::vector<int> dims = {}) {
    Bytes d;
    for (int x : v) enc.i16(d, x);
    if (dims.empty() && v.size() != 1) dims = {int(v.size())};
    add(group, name, 2, dims, d);
  }
  void floats(int group, const std::string& name, std::vector<float> v, std::vector<int> dims = {}) {
    Bytes d;
    for (float x : v) enc.f32(d, x);
    if (dims.empty() && v.size() != 1) dims = {int(v.size())};
    add(group, name, 4, dims, d);
  }
  void strings(int group, const std::string& name, std::vector<std::string> v, int len = 8) {
    Bytes d;
    for (auto s : v) {
      s.resize(size_t(len), ' ');
      d.insert(d.end(), s.begin(), s.end());
    }
    add(group, name, -1, {len, int(v.size())}, d);
  }
  Param* find(const std::string& name) {
    for (auto& p : params)
      if (p.name == name) return &p;
    return nullptr;
  }

  Bytes build() const {
    Bytes par;  // parameter section, from its 4-byte header
    par.insert(par.end(), {1, 0x50, 0, std::uint8_t(enc.processor)});
    auto record = [&](int nlen, int id, const std::string& name, const Bytes& body) {
      par.push_back(std::uint8_t(std::int8_t(nlen)));
      par.push_back(std::uint8_t(std::int8_t(id)));
      par.insert(par.end(), name.begin(), name.end());
      enc.i16(par, int(body.size()) + 2);
      par.insert(par.end(), body.begin(), body.end());
    };
    for (const auto& [id, name] : groups) record(int(name.size()), -id, name, Bytes{0});
    for (const auto& p : params) {
      Bytes body{std::uint8_t(std::int8_t(p.type)), std::uint8_t(p.dims.size())};
      for (int d : p.dims) body.push_back(std::uint8_t(d));
      body.insert(body.end(), p.data.begin(), p.data.end());
      body.push_back(0);  // no description
      record(int(p.name.size()), p.group, p.name, body);
    }
    par.insert(par.end(), {0, 0});  // end of section
    const int blocks = int((par.size() + 511) / 512);
    par.resize(size_t(blocks) * 512, 0);
    par[2] = std::uint8_t(blocks);
    const int data_start = 2 + blocks;

    Bytes out;
    out.push_back(2);  // parameters in block 2
    out.push_back(0x50);
    enc.i16(out, points);
    enc.i16(out, channels * per_frame);
    enc.i16(out, first);
    enc.i16(out, first + frames - 1);
    enc.i16(out, 0);
    enc.f32(out, scale);
    enc.i16(out, data_start);
    enc.i16(out, per_frame);
    enc.f32(out, rate);
    out.resize(512, 0);
    out.insert(out.end(), par.begin(), par.end());
    for (double v : values) {
      if (scale < 0) enc.f32(out, float(v));
      else enc.i16(out, int(std::lround(v)));
    }
    return out;
  }
};

// Two markers, three analog channels (one unsigned-looking offset), three frames.
Builder small_trial(int processor, bool floats) {
  Builder b;
  b.enc.processor = processor;
  b.points = 2;
  b.channels = 3;
  b.per_frame = 2;
  b.frames = 3;
  b.scale = floats ? -0.5f : 0.5f;
  b.ints(1, "USED", {2});
  b.floats(1, "SCALE", {b.scale});
  b.floats(1, "RATE", {100});
  b.ints(1, "FRAMES", {3});
  b.strings(1, "LABELS", {"HEEL", "TOE"});
  b.strings(1, "UNITS", {"mm"}, 2);
  b.ints(2, "USED", {3});
  b.strings(2, "LABELS", {"EMG1", "EMG2", "EMG3"});
  b.floats(2, "SCALE", {0.5f, 2.0f, -1.0f});
  b.ints(2, "OFFSET", {10, 0, -4});
  b.floats(2, "GEN_SCALE", {2.0f});
  b.floats(2, "RATE", {200});
  b.ints(3, "USED", {0});
  for (int f = 0; f < 3; ++f) {
    // HEEL: (10f+1, 20f+2, 30f+3) * scale units, valid; TOE invalid in frame 1.
    const double k = floats ? 1.0 : 1.0 / 0.5;  // integer storage holds value / scale
    b.values.insert(b.values.end(), {(10.0 * f + 1) * k, (20.0 * f + 2) * k, (30.0 * f + 3) * k, floats ? 3.0 : 3.0});
    if (f == 1) b.values.insert(b.values.end(), {0, 0, 0, -1});
    else b.values.insert(b.values.end(), {-5.0 * k, 6.0 * k, 7.5 * k, 0});
    for (int s = 0; s < 2; ++s) b.values.insert(b.values.end(), {100.0 + f * 10 + s, -20.0 - s, 7.0});
  }
  return b;
}

C3dFile parse(const Bytes& bytes, femur::io::C3dReadOptions options = {}) {
  return femur::io::parse_c3d(bytes, "test.c3d", options);
}

TEST(C3dBytes, ReadsEveryProcessorTypeInIntegerAndFloatStorage) {
  for (int processor : {84, 85, 86}) {
    for (bool floats : {false, true}) {
      SCOPED_TRACE("processor " + std::to_string(processor) + (floats ? " float" : " integer"));
      const C3dFile c = parse(small_trial(processor, floats).build());
      EXPECT_EQ(c.processor, processor);
      EXPECT_EQ(c.float_storage, floats);
      ASSERT_EQ(c.frames(), 3);
      ASSERT_EQ(c.point_labels, (std::vector<std::string>{"HEEL", "TOE"}));
      EXPECT_EQ(c.point_units, "mm");
      EXPECT_EQ(c.point_rate, 100);
      EXPECT_EQ(c.analog_rate, 200);
      for (int f = 0; f < 3; ++f) {
        // Float storage keeps values as written; integer storage multiplies by POINT:SCALE.
        EXPECT_DOUBLE_EQ(c.points(f, 0), 10.0 * f + 1);
        EXPECT_DOUBLE_EQ(c.points(f, 1), 20.0 * f + 2);
        EXPECT_DOUBLE_EQ(c.points(f, 2), 30.0 * f + 3);
        EXPECT_DOUBLE_EQ(c.residuals(f, 0), 3 * 0.5);  // residual byte times |POINT:SCALE|
        if (f == 1) {
          EXPECT_TRUE(std::isnan(c.points(f, 3)) && std::isnan(c.points(f, 4)) && std::isnan(c.points(f, 5)));
          EXPECT_EQ(c.residuals(f, 1), -1);
        } else {
          EXPECT_DOUBLE_EQ(c.points(f, 3), -5.0);
          EXPECT_DOUBLE_EQ(c.points(f, 5), 7.5);
        }
      }
      ASSERT_EQ(c.analog_samples(), 6);
      ASSERT_EQ(c.analog_labels, (std::vector<std::string>{"EMG1", "EMG2", "EMG3"}));
      for (int f = 0; f < 3; ++f)
        for (int s = 0; s < 2; ++s) {
          const int row = 2 * f + s;
          // (raw - OFFSET) * SCALE * GEN_SCALE
          EXPECT_DOUBLE_EQ(c.analogs(row, 0), (100.0 + f * 10 + s - 10) * 0.5 * 2.0);
          EXPECT_DOUBLE_EQ(c.analogs(row, 1), (-20.0 - s) * 2.0 * 2.0);
          EXPECT_DOUBLE_EQ(c.analogs(row, 2), (7.0 + 4) * -1.0 * 2.0);
        }
      EXPECT_EQ(c.parameter("point:labels")->dimensions, (std::vector<int>{8, 2}));
      EXPECT_TRUE(c.force_plates.empty());
    }
  }
}

TEST(C3dBytes, ReadsUnsignedAnalogFormatAndSplitLabels) {
  Builder b = small_trial(84, false);
  b.strings(2, "FORMAT", {"UNSIGNED"});
  *b.find("OFFSET") = Param{2, "OFFSET", 2, {3}, {}};
  for (int v : {40000, 0, 0}) b.enc.i16(b.find("OFFSET")->data, v);  // 40000 stored as int16 -25536
  // Labels over LABELS and LABELS2 (C3D User Guide, "POINT:LABELS2").
  *b.find("LABELS") = Param{1, "LABELS", -1, {4, 1}, {'H', 'E', 'E', 'L'}};
  b.strings(1, "LABELS2", {"TOE"}, 4);
  // Analog channel 1 sample 0 = 50000 (negative as int16).
  b.values[8] = 50000 - 65536;
  const C3dFile c = parse(b.build());
  EXPECT_EQ(c.point_labels, (std::vector<std::string>{"HEEL", "TOE"}));
  EXPECT_DOUBLE_EQ(c.analogs(0, 0), (50000.0 - 40000.0) * 0.5 * 2.0);
}

// A plate lying in the lab floor (lab z up), turned 90 degrees about the vertical, its centre
// at (c_x, c_y, 0), loaded by a force F at a known surface point p (plate coordinates) with
// free moment Tz. The reader must give back the COP R p + centre, the force R F and the free
// moment R (0, 0, Tz).
struct PlateCase {
  Eigen::Matrix3d R;  // plate axes in the lab
  Eigen::Vector3d centre{400, 300, 0};
  Eigen::Vector3d F{30, -45, 700};  // plate frame (z into the floor: the subject pushes +z)
  Eigen::Vector3d p{60, -110, 0};   // COP in plate coordinates, from the surface centre
  double tz = 2500;                 // N mm
  PlateCase() {
    // plate x = lab y, plate y = lab x, plate z = lab -z.
    R << 0, 1, 0, 1, 0, 0, 0, 0, -1;
  }
  std::vector<float> corners() const {
    std::vector<float> out;
    const double hx = 250, hy = 200;
    for (Eigen::Vector3d q : {Eigen::Vector3d(hx, hy, 0), Eigen::Vector3d(-hx, hy, 0), Eigen::Vector3d(-hx, -hy, 0),
                              Eigen::Vector3d(hx, -hy, 0)}) {
      const Eigen::Vector3d lab = R * q + centre;
      out.insert(out.end(), {float(lab.x()), float(lab.y()), float(lab.z())});
    }
    return out;
  }
};

Builder plate_trial(int type, const std::vector<double>& channels_values, const std::vector<float>& origin,
                    const PlateCase& pc) {
  Builder b;
  b.points = 0;
  b.channels = int(channels_values.size());
  b.per_frame = 1;
  b.frames = 1;
  b.ints(1, "USED", {0});
  b.floats(1, "RATE", {100});
  b.strings(1, "UNITS", {"mm"}, 2);
  b.ints(2, "USED", {b.channels});
  b.floats(2, "RATE", {100});
  b.ints(3, "USED", {1});
  b.ints(3, "TYPE", {type});
  b.floats(3, "CORNERS", pc.corners(), {3, 4, 1});
  b.floats(3, "ORIGIN", origin, {3, 1});
  std::vector<int> ch;
  for (int k = 0; k < b.channels; ++k) ch.push_back(k + 1);
  b.ints(3, "CHANNEL", ch, {b.channels, 1});
  b.values = channels_values;
  return b;
}

void expect_plate(const C3dFile& c, const PlateCase& pc, double tol) {
  ASSERT_EQ(c.force_plates.size(), 1u);
  const auto& fp = c.force_plates[0];
  EXPECT_NEAR((fp.R_lab_plate - pc.R).norm(), 0, 1e-12);
  EXPECT_NEAR((fp.centre - pc.centre).norm(), 0, 1e-9);
  const Eigen::Vector3d F = fp.force.row(0).transpose(), P = fp.cop.row(0).transpose();
  const Eigen::Vector3d T = fp.free_moment.row(0).transpose();
  EXPECT_NEAR((F - pc.R * pc.F).norm(), 0, tol);
  EXPECT_NEAR((P - (pc.R * pc.p + pc.centre)).norm(), 0, tol) << P.transpose();
  EXPECT_NEAR((T - pc.R * Eigen::Vector3d(0, 0, pc.tz)).norm(), 0, 100 * tol) << T.transpose();
}

TEST(C3dBytes, Type2PlateGivesTheCopAndFreeMomentOfAKnownLoad) {
  const PlateCase pc;
  // ORIGIN: from the transducer origin to the surface centre, z negative (C3D User Guide
  // "TYPE-2"). The transducer measures the moment about its origin: (o + p) x F + T.
  const Eigen::Vector3d o(1.5, -2.0, -40.0);
  const Eigen::Vector3d M = (o + pc.p).cross(pc.F) + Eigen::Vector3d(0, 0, pc.tz);
  const std::vector<double> ch{pc.F.x(), pc.F.y(), pc.F.z(), M.x(), M.y(), M.z()};
  expect_plate(parse(plate_trial(2, ch, {1.5f, -2.0f, -40.0f}, pc).build()), pc, 1e-3);
  // Older AMTI calibrations store ORIGIN with the opposite sign (positive z): same result.
  expect_plate(parse(plate_trial(2, ch, {-1.5f, 2.0f, 40.0f}, pc).build()), pc, 1e-3);
}

TEST(C3dBytes, Type4PlateAppliesTheCalibrationMatrix) {
  const PlateCase pc;
  const Eigen::Vector3d o(0, 0, -35.0);
  const Eigen::Vector3d M = (o + pc.p).cross(pc.F) + Eigen::Vector3d(0, 0, pc.tz);
  Eigen::Matrix<double, 6, 1> wrench;
  wrench << pc.F, M;
  Eigen::Matrix<double, 6, 6> cal;
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 6; ++c) cal(r, c) = (r == c ? 2.0 + r : 0.05 * (r - c));
  const Eigen::Matrix<double, 6, 1> raw = cal.lu().solve(wrench);  // signals = CAL * raw
  Builder b = plate_trial(4, std::vector<double>(raw.data(), raw.data() + 6), {0, 0, -35.0f}, pc);
  std::vector<float> cal_values;  // first dimension = row
  for (int c = 0; c < 6; ++c)
    for (int r = 0; r < 6; ++r) cal_values.push_back(float(cal(r, c)));
  b.floats(3, "CAL_MATRIX", cal_values, {6, 6, 1});
  expect_plate(parse(b.build()), pc, 2e-3);
}

TEST(C3dBytes, Type3KistlerPlateGivesTheCopOfAKnownLoad) {
  PlateCase pc;
  pc.F = Eigen::Vector3d(0, 0, 800);  // vertical load, shared by the four sensors
  const double a = 120, b = 200, az0 = -45;
  // Sensors 1 (+a,+b), 2 (-a,+b), 3 (-a,-b), 4 (+a,-b) (Kistler "Force plate formulae"):
  // bilinear shares put the resultant at p.
  const double u = pc.p.x() / a, v = pc.p.y() / b, fz = pc.F.z();
  const double fz1 = fz * (1 + u) * (1 + v) / 4, fz2 = fz * (1 - u) * (1 + v) / 4;
  const double fz3 = fz * (1 - u) * (1 - v) / 4, fz4 = fz * (1 + u) * (1 - v) / 4;
  // A free moment Tz from opposite shear forces: fx12 = -fx34 = -Tz / (2 b) gives
  // Mz = b (-fx12 + fx34) = Tz.
  const double fx = pc.tz / (2 * b);
  pc.F.x() = 0;
  const std::vector<double> ch{-fx, fx, 0, 0, fz1, fz2, fz3, fz4};
  expect_plate(parse(plate_trial(3, ch, {float(a), float(b), float(az0)}, pc).build()), pc, 1e-3);
}

TEST(C3dBytes, CopOfAnUnloadedPlateIsThePlateCentre) {
  const PlateCase pc;
  const std::vector<double> ch{0, 0, 0, 0, 0, 0};
  const C3dFile c = parse(plate_trial(2, ch, {0, 0, -40}, pc).build());
  ASSERT_EQ(c.force_plates.size(), 1u);
  EXPECT_NEAR((c.force_plates[0].cop.row(0).transpose() - pc.centre).norm(), 0, 1e-9);
  EXPECT_EQ(c.force_plates[0].free_moment.row(0).norm(), 0.0);
  // With a threshold, a 5 N load counts as unloaded too.
  const std::vector<double> light{0, 0, 5, 100, 100, 0};
  femur::io::C3dReadOptions opt;
  opt.cop_min_force = 10;
  const C3dFile d = parse(plate_trial(2, light, {0, 0, -40}, pc).build(), opt);
  EXPECT_NEAR((d.force_plates[0].cop.row(0).transpose() - pc.centre).norm(), 0, 1e-9);
}

// --- Broken files: each gives ParseError with the place and the cause -----------------------

void expect_error(const Bytes& bytes, const std::string& substring) {
  try {
    parse(bytes);
    ADD_FAILURE() << "no error; expected: " << substring;
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find(substring), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("test.c3d: ", 0), 0u) << e.what();
  }
}

TEST(C3dBrokenFiles, EachGivesAMessageNamingThePlaceAndTheCause) {
  const Bytes good = small_trial(84, true).build();
  ASSERT_NO_THROW(parse(good));

  expect_error(Bytes(good.begin(), good.begin() + 100), "test.c3d: file has 100 bytes, less than the 512-byte C3D header");
  {
    Bytes b = good;
    b[1] = 0x51;
    expect_error(b, "test.c3d: byte 1: header key is 0x51, expected 0x50 (not a C3D file)");
  }
  {
    Bytes b = good;
    b[0] = 200;
    expect_error(b, "byte 0: parameter block pointer 200 (byte 101888) is past the end of the file");
  }
  {
    Bytes b = good;
    b[512 + 3] = 83;
    expect_error(b, "byte 515: processor type 83 is not 84 (Intel), 85 (DEC) or 86 (SGI/MIPS)");
  }
  {
    Bytes b = good;
    b[2] = 0xfd, b[3] = 0xff;  // -3 points
    expect_error(b, "byte 2: header point count is -3");
  }
  {
    // Truncated data section: the last frame is cut.
    Bytes b(good.begin(), good.end() - 10);
    expect_error(b, "needs 3 frames of 56 bytes but the file ends after 2 (truncated file?)");
  }
  {
    // A parameter whose dimensions multiply to far more than the file: caught before any
    // allocation.
    Builder bl = small_trial(84, true);
    bl.add(1, "HUGE", 4, {255, 255, 255, 255}, Bytes(16, 0));
    expect_error(bl.build(), "parameter 'HUGE' dimensions multiply to more data than the file holds");
  }
  {
    Builder bl = small_trial(84, true);
    bl.find("LABELS")->dims = {8, 1};
    bl.find("LABELS")->data.resize(8);
    expect_error(bl.build(), "POINT:LABELS has 1 labels for 2 points");
  }
  {
    Builder bl = small_trial(84, true);
    bl.find("USED")->data = {3, 0};
    expect_error(bl.build(), "POINT:USED is 3 but the header says 2 points");
  }
  {
    Builder bl = small_trial(84, true);
    bl.find("RATE")->type = 3;
    expect_error(bl.build(), "parameter 'RATE' has type 3 (expected -1 char, 1 byte, 2 int16 or 4 float)");
  }
  {
    // Next-record pointer pointing backwards (would loop forever).
    Bytes b = good;
    // First group record "POINT" at byte 516: lengths, name (5), then the offset word.
    b[516 + 2 + 5] = 0xfe, b[516 + 2 + 5 + 1] = 0xff;
    expect_error(b, "byte 523: record 'POINT' points to the next record at offset -2 (must be forward)");
  }
  {
    Builder bl = small_trial(84, true);
    bl.find("SCALE")->data.resize(4);  // scale of POINT, 1 value: fine; ANALOG:SCALE is the 2nd
    for (auto& p : bl.params)
      if (p.group == 2 && p.name == "SCALE") p.dims = {2}, p.data.resize(8);
    expect_error(bl.build(), "ANALOG:SCALE has 2 values for 3 channels");
  }
  {
    const PlateCase pc;
    Builder bl = plate_trial(2, {0, 0, 0, 0, 0, 0}, {0, 0, -40}, pc);
    bl.find("CHANNEL")->data.clear();
    for (int v : {1, 2, 3, 4, 5, 13}) bl.enc.i16(bl.find("CHANNEL")->data, v);
    expect_error(bl.build(), "FORCE_PLATFORM:CHANNEL of force plate 1 names analog channel 13 but the file has 6");
  }
  {
    const PlateCase pc;
    Builder bl = plate_trial(2, {0, 0, 0, 0, 0, 0}, {0, 0, -40}, pc);
    bl.find("CORNERS")->dims = {3, 2, 1};
    bl.find("CORNERS")->data.resize(24);
    expect_error(bl.build(), "FORCE_PLATFORM:CORNERS has 6 values, 12 needed for 1 plates");
  }
}

TEST(C3dBrokenFiles, UnsupportedPlateTypesAreSkippedWithAWarning) {
  const PlateCase pc;
  const C3dFile c = parse(plate_trial(5, {0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, -40}, pc).build());
  EXPECT_TRUE(c.force_plates.empty());
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0], "force plate 1 has FORCE_PLATFORM:TYPE 5 (only types 1 to 4 are supported); skipped");
}

// Every truncation and many random corruptions of a real trial's header and parameter
// section end in a clean ParseError or a parse, never a crash or a huge allocation (the
// sanitizer build and fuzz/c3d_fuzz.cpp push this further).
TEST(C3dBrokenFiles, TruncatedAndCorruptedTrialsNeverCrash) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const Bytes real = file_bytes(femur::test::opensim_file("c3d/walking5.c3d"));
  femur::io::C3dReadOptions opt;
  int errors = 0, parsed = 0;
  for (size_t cut : {size_t(0), size_t(511), size_t(512), size_t(600), size_t(3000), size_t(6655), size_t(6656),
                     size_t(7000), real.size() / 2, real.size() - 1}) {
    try {
      parse(Bytes(real.begin(), real.begin() + std::ptrdiff_t(cut)), opt);
      ++parsed;
    } catch (const ParseError& e) {
      ++errors;
      EXPECT_NE(std::string(e.what()).find("test.c3d"), std::string::npos);
    }
  }
  EXPECT_EQ(parsed, 0);  // a cut file is always an error here (all cuts drop data)
  std::mt19937 rng(12345);
  const std::int64_t header_and_parameters = (real[0] - 1 + real[(real[0] - 1) * 512 + 2]) * 512;
  for (int trial = 0; trial < 300; ++trial) {
    Bytes b = real;
    for (int k = 0; k < 4; ++k) b[size_t(rng() % std::uint32_t(header_and_parameters))] = std::uint8_t(rng());
    try {
      parse(b, opt);
      ++parsed;
    } catch (const ParseError&) {
      ++errors;
    }
  }
  std::printf("corrupted walking5: %d parsed, %d ParseError\n", parsed, errors);
  EXPECT_EQ(parsed + errors, 310);
}

// --- femur convert ------------------------------------------------------------------------

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

TEST(C3dConvert, WritesTrcAndGrfMotThatReadBackAsTheC3d) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = femur::test::temp_dir("c3d-convert");
  const fs::path c3d_path = femur::test::opensim_file("c3d/walking2.c3d");
  ASSERT_EQ(run(std::string(FEMUR_CLI) + " convert " + c3d_path.string() + " --out " + dir.string() + " --rotate Z"), 0);
  const C3dFile c3d = femur::io::read_c3d(c3d_path);

  const auto trc = femur::io::read_trc(dir / "walking2.trc");
  EXPECT_EQ(trc.frames(), 1249);
  EXPECT_EQ(trc.markers.size(), 44u);
  EXPECT_EQ(trc.units, "mm");
  EXPECT_EQ(trc.data_rate, 250);
  // --rotate Z = x:-90: (x, y, z) -> (x, z, -y).
  const int m = c3d.point_index("RTH1");
  const int tm = trc.marker("RTH1");
  for (int f : {210, 600, 1000}) {
    EXPECT_DOUBLE_EQ(trc.data(f, 3 * tm), c3d.points(f, 3 * m));
    EXPECT_DOUBLE_EQ(trc.data(f, 3 * tm + 1), c3d.points(f, 3 * m + 2));
    EXPECT_DOUBLE_EQ(trc.data(f, 3 * tm + 2), -c3d.points(f, 3 * m + 1));
  }
  EXPECT_TRUE(std::isnan(trc.data(0, 0)));
  EXPECT_DOUBLE_EQ(trc.time[1249 - 1], 1248 / 250.0);

  const auto mot = femur::io::read_sto(dir / "walking2_grf.mot");
  // The layout of OpenSim's example GRF files (Pipelines/Gait2392_Simbody/subject01_walk1_grf.mot).
  const auto reference = femur::io::read_sto(femur::test::opensim_file("Pipelines/Gait2392_Simbody/subject01_walk1_grf.mot"));
  EXPECT_EQ(mot.labels, reference.labels);
  ASSERT_EQ(mot.rows(), c3d.analog_samples());
  EXPECT_DOUBLE_EQ(mot.time[1], 1 / 2000.0);
  // t = 2.774 s of OpenSim's std_cop_walking2_grfs.sto, rotated to y up, in m and N m.
  const int s = 5548;
  EXPECT_NEAR(mot.data(s, mot.column("ground_force_vx")), -158.2316741943359, 1e-9);
  EXPECT_NEAR(mot.data(s, mot.column("ground_force_vy")), 894.6541748046875, 1e-9);
  EXPECT_NEAR(mot.data(s, mot.column("ground_force_vz")), -31.45160293579102, 1e-9);
  EXPECT_NEAR(mot.data(s, mot.column("ground_force_px")), 0.7689094865431805, 1e-12);
  EXPECT_NEAR(mot.data(s, mot.column("ground_force_py")), 0.0, 1e-12);
  EXPECT_NEAR(mot.data(s, mot.column("ground_force_pz")), -0.4594645102576396, 1e-12);
  EXPECT_NEAR(mot.data(s, mot.column("ground_torque_y")), -1.645389278965646, 1e-10);
  EXPECT_NEAR(mot.data(s, mot.column("1_ground_force_vy")), -17.60025978088379, 1e-9);
  EXPECT_NEAR(mot.data(s, mot.column("1_ground_force_px")), 0.2914903400960214, 1e-12);
  EXPECT_NEAR(mot.data(s, mot.column("1_ground_torque_y")), -0.61572726274459, 1e-10);

  // The same rotation written as AXIS:DEGREES gives the same files, byte for byte; "X" (lab
  // x up) is z:90, (x, y, z) -> (-y, x, z).
  const fs::path dir2 = femur::test::temp_dir("c3d-convert-rot");
  ASSERT_EQ(run(std::string(FEMUR_CLI) + " convert " + c3d_path.string() + " --out " + dir2.string() + " --rotate x,-90"), 0);
  std::ifstream a(dir / "walking2_grf.mot"), b(dir2 / "walking2_grf.mot");
  EXPECT_TRUE(std::equal(std::istreambuf_iterator<char>(a), {}, std::istreambuf_iterator<char>(b), {}));
  ASSERT_EQ(run(std::string(FEMUR_CLI) + " convert " + c3d_path.string() + " --out " + dir2.string() + " --rotate X"), 0);
  const auto trc_x = femur::io::read_trc(dir2 / "walking2.trc");
  EXPECT_DOUBLE_EQ(trc_x.data(600, 3 * tm), -c3d.points(600, 3 * m + 1));
  EXPECT_DOUBLE_EQ(trc_x.data(600, 3 * tm + 1), c3d.points(600, 3 * m));
  EXPECT_DOUBLE_EQ(trc_x.data(600, 3 * tm + 2), c3d.points(600, 3 * m + 2));
}

TEST(C3dConvert, ThresholdFlipAndBadArguments) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const fs::path dir = femur::test::temp_dir("c3d-convert2");
  const std::string cli = FEMUR_CLI;
  const std::string c3d = femur::test::opensim_file("c3d/walking5.c3d").string();
  ASSERT_EQ(run(cli + " convert " + c3d + " --out " + dir.string() + " --rotate x:-90 --force-threshold 30 --flip-forces"), 0);
  const auto mot = femur::io::read_sto(dir / "walking5_grf.mot");
  const C3dFile raw = femur::io::read_c3d(c3d);
  int unloaded = 0;
  for (int s = 0; s < mot.rows(); ++s) {
    const double fz = raw.force_plates[0].force(s, 2);
    const double vy = mot.data(s, mot.column("ground_force_vy"));
    if (std::abs(fz) <= 30) {
      ++unloaded;
      ASSERT_EQ(vy, 0.0);
      ASSERT_NEAR(mot.data(s, mot.column("ground_force_px")), raw.force_plates[0].centre.x() / 1000, 1e-12);
    } else {
      ASSERT_NEAR(vy, -fz, 1e-9);  // flipped
    }
  }
  EXPECT_GT(unloaded, 1000);
  // Usage errors exit with 2, unreadable input with 1, and leave no output behind.
  EXPECT_EQ(WEXITSTATUS(run(cli + " convert " + c3d + " --out " + dir.string() + " --rotate w:90")), 2);
  EXPECT_EQ(WEXITSTATUS(run(cli + " convert " + c3d + " --rotate x:abc")), 2);
  const fs::path bad = dir / "bad.c3d";
  std::ofstream(bad, std::ios::binary) << std::string(600, 'x');
  EXPECT_EQ(WEXITSTATUS(run(cli + " convert " + bad.string() + " --out " + (dir / "o").string())), 1);
  EXPECT_FALSE(fs::exists(dir / "o" / "bad.trc"));
}

}  // namespace
