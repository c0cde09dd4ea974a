// Moment arms of the built-in hip model (hip/hip_model.hpp, gait2392 geometry) against
// published moment-arm data that do not depend on hip contact force:
//
// - Dostal W.F., Andrews J.G. (1981) A three-dimensional biomechanical model of hip
//   musculature. J Biomech 14:803-812. Table 1: origin and insertion of 27 hip muscles (cm)
//   on one male skeleton in the anatomical position, hip centre at the origin, x anterior,
//   y superior, z lateral (right side). Transcribed from the table in the
//   RWTHmediTEC/HipJointForceModel repository (data/Dostal1981.m, whose left hip centre at
//   z = -16.9 cm confirms that +z is lateral on the right). Their model is a straight line
//   between the two points, so its moment arms are computed here from the table:
//   r = (insertion x unit vector to origin) . axis, the definition of their paper.
// - Blemker S.S., Delp S.L. (2005) Three-dimensional representation of complex muscle
//   architectures and geometries. Ann Biomed Eng 33:661-673: finite-element models of psoas,
//   iliacus, gluteus maximus and gluteus medius from MR images of one subject; the abstract
//   gives the fibre ranges (psoas peak hip flexion moment arm 2-3 cm, gluteus maximus peak
//   extension moment arm 1-7 cm). The smallest and largest fibre moment arm at each angle
//   (their moment-arm figures) are read from the digitisation by Modenese L., Kohout J.
//   (2020) Automated generation of three-dimensional complex muscle geometries for use in
//   personalised musculoskeletal models, Ann Biomed Eng, doi:10.1007/s10439-020-02490-4
//   (repository modenaxe/3d-muscles,
//   _support_functions/f_load_Blemker2005_data.m); the values below are linear
//   interpolations of those points at the angles named, to 0.01 cm. Digitising a printed
//   figure costs about 1 mm, so the checks allow kDigitisation = 2 mm outside the envelope.
// - Nemeth G., Ohlsen H. (1985) In vivo moment arm lengths for hip extensor muscles at
//   different angles of hip flexion. J Biomech 18:129-140 (CT of living subjects): gluteus
//   maximus extension moment arm 7.5 cm at 5 deg of flexion falling to 3.1 cm at 90 deg, as
//   transcribed point by point from the paper in the same Modenese & Kohout repository
//   (d1_Table1_mom_arms_compare.m); not checked against the paper's own table here.
//
// Sign: femur's moment arm r = -dL/dq (OpenSim's). About hip_flexion positive flexes, about
// hip_adduction positive adducts (so an abductor's "abduction moment arm" is -r), about
// hip_rotation positive rotates internally. Reported and compared in cm.
//
// Every check is a tolerance around the published value or envelope (issue 18 item 5): where
// the model is outside a source today the comment says by how much, but the test does not
// pin the side of the gap, so a geometry that comes closer to the data still passes.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include "femur/hip/hip_model.hpp"
#include "femur/model/data.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "femur/muscle/muscle_parameters.hpp"

namespace femur {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kDigitisation = 0.2;  // cm, see the file comment

// The built-in model and its paths; arm() gives the moment arm (cm) of a right-side path
// about a right hip coordinate with the hip at (flexion, adduction) in degrees, every other
// coordinate at its default (anatomical neutral).
struct HipArms {
  Model model = hip::build_hip_model();
  const PathSet& paths = model.paths;
  Data data{model};
  PathData out{model, paths};

  double arm(const std::string& muscle, const std::string& coordinate, double flexion_deg = 0,
             double adduction_deg = 0) {
    Eigen::VectorXd q = model.default_q();
    q[model.coordinate_index("hip_flexion_r")] = flexion_deg * kDeg;
    q[model.coordinate_index("hip_adduction_r")] = adduction_deg * kDeg;
    compute_paths(model, paths, data, q, out);
    const int p = paths.path_index(muscle + "_r"), k = model.coordinate_index(coordinate + "_r");
    EXPECT_GE(p, 0) << muscle;
    EXPECT_GE(k, 0) << coordinate;
    return 100.0 * out.moment_arm(p, k);
  }
  double abduction(const std::string& muscle, double flexion_deg = 0, double adduction_deg = 0) {
    return -arm(muscle, "hip_adduction", flexion_deg, adduction_deg);
  }
  double extension(const std::string& muscle, double flexion_deg = 0) {
    return -arm(muscle, "hip_flexion", flexion_deg);
  }
  double max_force(const std::string& muscle) const {
    const int p = paths.path_index(muscle + "_r");
    return std::get<MuscleParameters>((model.forces[paths.paths[p].force]).part).max_isometric_force;
  }
};

HipArms& arms() {
  static HipArms a;
  return a;
}

// Dostal & Andrews 1981, Table 1 (cm; hip centre origin, x anterior, y superior, z lateral).
struct DostalLine {
  std::array<double, 3> origin, insertion;
};
// Moment arms of the straight line about the hip axes of the femur: flexion about +z,
// adduction about +x, internal rotation about +y (the axes of hip_flexion, hip_adduction and
// hip_rotation of the right leg in the neutral pose).
struct DostalArms {
  double flexion, adduction, internal_rotation;
};
DostalArms dostal_arms(const DostalLine& line) {
  const Eigen::Vector3d o(line.origin[0], line.origin[1], line.origin[2]);
  const Eigen::Vector3d i(line.insertion[0], line.insertion[1], line.insertion[2]);
  const Eigen::Vector3d m = i.cross((o - i).normalized());
  return {m.z(), m.x(), m.y()};
}
const DostalLine kDostalGlutMedAnterior{{2.7, 10.2, 6.2}, {-1.8, -2.6, 7.3}};
const DostalLine kDostalGlutMedMiddle{{-0.2, 13.2, 1.8}, {-1.8, -2.6, 7.3}};
const DostalLine kDostalGlutMedPosterior{{-4.8, 9.7, -1.5}, {-1.8, -2.6, 7.3}};
const DostalLine kDostalGlutMinAnterior{{2.9, 7.3, 4.1}, {0.4, -2.7, 6.9}};
const DostalLine kDostalGlutMinMiddle{{-0.4, 8.8, 2.0}, {0.4, -2.7, 6.9}};
const DostalLine kDostalGlutMinPosterior{{-2.6, 7.1, 0.0}, {0.4, -2.7, 6.9}};
const DostalLine kDostalTfl{{4.5, 7.8, 5.6}, {2.2, -43.6, 3.3}};
const DostalLine kDostalPiriformis{{-7.8, 5.5, -4.7}, {-0.1, -0.1, 5.5}};
const DostalLine kDostalIliopsoas{{2.8, 2.4, 0.5}, {-0.2, -6.1, 1.5}};
const DostalLine kDostalGlutMax{{-8.7, 6.8, -4.4}, {-0.9, -10.3, 4.7}};
const DostalLine kDostalRectusFemoris{{4.3, 3.7, 2.6}, {4.3, -41.5, 0.2}};
const DostalLine kDostalSartorius{{5.1, 6.8, 5.0}, {-0.8, -43.5, -4.2}};
const DostalLine kDostalBicepsFemoris{{-5.3, -3.6, -1.3}, {-2.3, -44.1, 3.9}};
const DostalLine kDostalSemitendinosus{{-5.3, -3.6, -1.3}, {-2.2, -43.3, -4.0}};
const DostalLine kDostalSemimembranosus{{-4.4, -3.1, -0.8}, {-2.9, -42.8, -3.4}};

// The straight-line arithmetic reproduces a hand calculation from Table 1: gluteus medius
// anterior, origin - insertion = (4.5, 12.8, -1.1) cm, |.| = 13.61 cm, insertion x unit
// vector has x component (-2.6)(-1.1) - (7.3)(12.8) over 13.61 = -6.655 cm.
TEST(HipMomentArmLiterature, DostalStraightLineArmsMatchAHandCalculation) {
  const DostalArms a = dostal_arms(kDostalGlutMedAnterior);
  EXPECT_NEAR(a.adduction, ((-2.6) * (-1.1) - 7.3 * 12.8) / std::sqrt(4.5 * 4.5 + 12.8 * 12.8 + 1.1 * 1.1), 1e-12);
  EXPECT_NEAR(a.adduction, -6.655, 5e-3);
  // A line through the hip centre has no moment arm about any axis.
  const DostalArms zero = dostal_arms({{1, 2, 3}, {-2, -4, -6}});
  EXPECT_NEAR(zero.flexion, 0, 1e-12);
  EXPECT_NEAR(zero.adduction, 0, 1e-12);
  EXPECT_NEAR(zero.internal_rotation, 0, 1e-12);
}

// Blemker & Delp 2005 (gluteus medius, hip adduction axis): the fibres' abduction
// moment arms span 1.95-5.36 cm at 20 deg of abduction, 2.22-5.13 cm at neutral and
// 1.44-4.21 cm at 20 deg of adduction. The model's three compartments (3.5-4.8 cm at
// neutral, force-weighted 4.3 cm) lie inside at all three angles: the issue-7 claim that
// gluteus medius should have 5-7 cm is not what these MRI-based fibre moment arms show.
TEST(HipMomentArmLiterature, GluteusMediusAbductionArmsLieInsideTheMriFibreEnvelope) {
  HipArms& a = arms();
  struct Posture {
    double adduction_deg, low, high;
  };
  for (const Posture& p : {Posture{-20, 1.95, 5.36}, Posture{0, 2.22, 5.13}, Posture{20, 1.44, 4.21}}) {
    double weighted = 0, force = 0;
    for (const char* m : {"glut_med1", "glut_med2", "glut_med3"}) {
      const double r = a.abduction(m, 0, p.adduction_deg);
      EXPECT_GT(r, p.low - kDigitisation) << m << " at adduction " << p.adduction_deg;
      EXPECT_LT(r, p.high + kDigitisation) << m << " at adduction " << p.adduction_deg;
      weighted += a.max_force(m) * r;
      force += a.max_force(m);
    }
    std::printf("gluteus medius abduction arm at adduction %+3.0f deg: force-weighted %.2f cm, fibres %.2f-%.2f cm\n",
                p.adduction_deg, weighted / force, p.low, p.high);
  }
}

// Dostal & Andrews 1981's straight lines give larger abduction arms for the anterior and
// middle parts of gluteus medius and minimus: 6.65, 6.01, 4.34 cm (medius) and 5.75, 5.28,
// 3.97 cm (minimus) against the model's 4.78, 4.41, 3.54 and 4.22, 4.24, 3.83 cm. The main
// reason is the insertion: theirs is on the greater trochanter 7.3 cm (medius) and 6.9 cm
// (minimus) lateral and 2.6-2.7 cm below the hip centre, gait2392's 5.2-5.6 cm lateral and
// 0.5-1.2 cm below. This gap is documented, not closed: Blemker & Delp's MRI fibres (above)
// contain the model, and the two sources together span 2.2-6.7 cm, so the model is not below
// the published range. Moving gait2392's medius insertions 1.75 cm laterally (to Dostal's)
// would give 5.98, 5.52, 4.29 cm: the anterior two above Blemker & Delp's fibres.
// Asserted: every compartment within 2 cm of Dostal's line (either side).
TEST(HipMomentArmLiterature, GluteusMediusAndMinimusAbductionArmsAreWithin2cmOfDostalAndAndrewsStraightLines) {
  HipArms& a = arms();
  const std::pair<const char*, DostalLine> parts[] = {
      {"glut_med1", kDostalGlutMedAnterior}, {"glut_med2", kDostalGlutMedMiddle},
      {"glut_med3", kDostalGlutMedPosterior}, {"glut_min1", kDostalGlutMinAnterior},
      {"glut_min2", kDostalGlutMinMiddle},   {"glut_min3", kDostalGlutMinPosterior}};
  for (const auto& [muscle, line] : parts) {
    const double model = a.abduction(muscle), dostal = -dostal_arms(line).adduction;
    std::printf("%-10s abduction arm at neutral: model %.2f cm, Dostal & Andrews 1981 %.2f cm\n", muscle, model, dostal);
    EXPECT_NEAR(model, dostal, 2.0) << muscle;
  }
}

// Tensor fasciae latae and piriformis agree with Dostal & Andrews 1981 to within 1 cm:
// TFL abducts (5.24 cm), piriformis abducts (2.13 cm) and rotates externally (3.11 cm).
// One specimen against another: 1 cm is about the spread of moment arms between cadavers
// of one size (e.g. Delp et al. 1999, four cadavers; the Blemker fibre envelopes above).
TEST(HipMomentArmLiterature, TensorFasciaeLataeAndPiriformisMatchDostalAndAndrewsInTheFrontalPlane) {
  HipArms& a = arms();
  EXPECT_NEAR(a.abduction("tfl"), -dostal_arms(kDostalTfl).adduction, 1.0);
  EXPECT_NEAR(a.abduction("peri"), -dostal_arms(kDostalPiriformis).adduction, 1.0);
  EXPECT_NEAR(a.arm("peri", "hip_rotation"), dostal_arms(kDostalPiriformis).internal_rotation, 1.0);
  EXPECT_GT(a.abduction("tfl"), 0);
  EXPECT_LT(a.arm("peri", "hip_rotation"), 0);
}

// Rectus femoris, sartorius and the hamstrings in the sagittal plane: Dostal & Andrews
// 1981 give flexion 4.29 (rectus femoris) and 4.20 cm (sartorius), extension 5.51 (biceps
// femoris), 5.55 (semitendinosus) and 4.50 cm (semimembranosus); the model is within 1 cm
// of each (same tolerance as above).
TEST(HipMomentArmLiterature, RectusFemorisSartoriusAndHamstringsMatchDostalAndAndrewsInTheSagittalPlane) {
  HipArms& a = arms();
  const std::pair<const char*, DostalLine> parts[] = {
      {"rect_fem", kDostalRectusFemoris}, {"sar", kDostalSartorius}, {"bifemlh", kDostalBicepsFemoris},
      {"semiten", kDostalSemitendinosus}, {"semimem", kDostalSemimembranosus}};
  for (const auto& [muscle, line] : parts) {
    const double model = a.arm(muscle, "hip_flexion"), dostal = dostal_arms(line).flexion;
    std::printf("%-10s flexion arm at neutral: model %+.2f cm, Dostal & Andrews 1981 %+.2f cm\n", muscle, model, dostal);
    EXPECT_NEAR(model, dostal, 1.0) << muscle;
  }
}

// Gluteus medius in the sagittal plane: at neutral Blemker & Delp's fibres go from 0.83 cm
// of flexion to 1.44 cm of extension, and Dostal & Andrews 1981's three lines extend by
// 0.83, 1.44 and 1.94 cm. The model's compartments extend by 1.45, 2.24 and 2.38 cm: the
// middle and posterior ones are outside the fibre envelope (by 0.8-0.9 cm) and above
// Dostal's lines. Asserted: within 1.2 cm of Dostal's line and of the fibre envelope (either
// side).
TEST(HipMomentArmLiterature, GluteusMediusExtensionArmsAtNeutralAreWithin1Point2cmOfBothSources) {
  HipArms& a = arms();
  const std::pair<const char*, DostalLine> parts[] = {
      {"glut_med1", kDostalGlutMedAnterior}, {"glut_med2", kDostalGlutMedMiddle}, {"glut_med3", kDostalGlutMedPosterior}};
  for (const auto& [muscle, line] : parts) {
    const double model = a.extension(muscle), dostal = -dostal_arms(line).flexion;
    EXPECT_NEAR(model, dostal, 1.2) << muscle;
  }
  for (const char* m : {"glut_med1", "glut_med2", "glut_med3"}) {
    EXPECT_GT(a.extension(m), -0.83 - 1.2) << m;
    EXPECT_LT(a.extension(m), 1.44 + 1.2) << m;
  }
}

// Gluteus maximus, extension arm with hip flexion. Blemker & Delp's fibres: 0.94-6.61 cm
// at 0 deg, 1.77-7.19 at 30, 1.40-6.80 at 60, 0.44-5.91 at 90. The model's three
// compartments lie inside except the lowest (glut_max3) at 0 deg, 7.3 cm, 0.7 cm above the
// envelope but at Nemeth & Ohlsen's in vivo 7.5 cm (5 deg).
// Nemeth & Ohlsen 1985 (whole muscle, in vivo): 7.5 cm at 5 deg, 5.1 at 60, 3.1 at 90. The
// model's force-weighted mean (5.8 cm at 0 deg, 3.6 at 60, 1.8 at 90) is lower and falls
// faster with flexion. Asserted: the mean within 2.5 cm of Nemeth's value.
// In the frontal plane at neutral the fibres go from 3.33 cm of abduction (upper) to
// 5.20 cm of adduction (lower): glut_max1 abducts, glut_max3 adducts, all inside.
TEST(HipMomentArmLiterature, GluteusMaximusIsInsideTheMriFibreEnvelopeAndWithin2Point5cmOfNemethInVivo) {
  HipArms& a = arms();
  struct Posture {
    double flexion_deg, low, high, nemeth;
  };
  for (const Posture& p : {Posture{0, 0.94, 6.61, 7.5}, Posture{30, 1.77, 7.19, 6.6}, Posture{60, 1.40, 6.80, 5.1},
                           Posture{90, 0.44, 5.91, 3.1}}) {
    double weighted = 0, force = 0;
    for (const char* m : {"glut_max1", "glut_max2", "glut_max3"}) {
      const double r = a.extension(m, p.flexion_deg);
      EXPECT_GT(r, p.low - kDigitisation) << m << " at " << p.flexion_deg;
      if (!(p.flexion_deg == 0 && std::string(m) == "glut_max3")) {
        EXPECT_LT(r, p.high + kDigitisation) << m << " at " << p.flexion_deg;
      }
      weighted += a.max_force(m) * r;
      force += a.max_force(m);
    }
    const double mean = weighted / force;
    std::printf("gluteus maximus extension arm at %2.0f deg flexion: force-weighted %.2f cm, fibres %.2f-%.2f, Nemeth %.1f cm\n",
                p.flexion_deg, mean, p.low, p.high, p.nemeth);
    EXPECT_NEAR(mean, p.nemeth, 2.5) << p.flexion_deg;
  }
  // glut_max3 at 0 deg: inside the fibres or within 0.5 cm of Nemeth's in vivo 7.5 cm (today
  // 7.3 cm, above the fibres).
  const double lowest = a.extension("glut_max3", 0);
  EXPECT_LT(lowest, 7.5 + 0.5);
  // Frontal plane at neutral.
  EXPECT_GT(a.abduction("glut_max1"), 0);
  EXPECT_LT(a.abduction("glut_max3"), 0);
  for (const char* m : {"glut_max1", "glut_max2", "glut_max3"}) {
    EXPECT_GT(a.arm(m, "hip_adduction"), -3.33 - kDigitisation) << m;
    EXPECT_LT(a.arm(m, "hip_adduction"), 5.20 + kDigitisation) << m;
  }
}

// Iliopsoas, flexion arm. Blemker & Delp's fibres: psoas 1.65-2.58 cm at 0 deg,
// 1.83-2.70 at 30, 1.97-2.99 at 60 (abstract: peak 2-3 cm); iliacus 2.00-3.15 at 0 deg,
// 2.06-3.83 at 30, 2.65-5.10 at 60. Dostal & Andrews 1981's straight iliopsoas line: 1.83 cm.
// The model (gait2392's path over the pelvic brim) gives 3.9 cm for both at neutral: psoas
// above the fibres at every angle up to 60 deg (by 1.3-1.6 cm), iliacus above them at 0 and
// 30 deg (by 0.5-0.8 cm) and inside at 60. Asserted: each within 2 cm of the envelope
// (either side), so a pelvic-brim path closer to the fibres passes.
TEST(HipMomentArmLiterature, IliopsoasFlexionArmsAreWithin2cmOfTheMriFibreEnvelope) {
  HipArms& a = arms();
  struct Posture {
    double flexion_deg, psoas_low, psoas_high, iliacus_low, iliacus_high;
  };
  // Distance of v outside [low, high] (0 inside).
  auto outside = [](double v, double low, double high) { return std::max({low - v, v - high, 0.0}); };
  for (const Posture& p : {Posture{0, 1.65, 2.58, 2.00, 3.15}, Posture{30, 1.83, 2.70, 2.06, 3.83},
                           Posture{60, 1.97, 2.99, 2.65, 5.10}}) {
    const double psoas = a.arm("psoas", "hip_flexion", p.flexion_deg);
    const double iliacus = a.arm("iliacus", "hip_flexion", p.flexion_deg);
    std::printf("flexion arm at %2.0f deg: psoas %.2f cm (fibres up to %.2f), iliacus %.2f cm (fibres %.2f-%.2f)\n",
                p.flexion_deg, psoas, p.psoas_high, iliacus, p.iliacus_low, p.iliacus_high);
    EXPECT_LT(outside(psoas, p.psoas_low, p.psoas_high), 2.0) << p.flexion_deg;
    EXPECT_LT(outside(iliacus, p.iliacus_low, p.iliacus_high), 2.0) << p.flexion_deg;
  }
}

}  // namespace
}  // namespace femur
