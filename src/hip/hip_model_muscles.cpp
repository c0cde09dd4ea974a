// The muscle table of the built-in model (hip_model.hpp), right side. Sources:
//
// - Every muscle below the trunk, and the erector spinae and obliques: the gait2392 model
//   (OpenSim, Delp S.L., Loan J.P., Hoy M.G., Zajac F.E., Topp E.L., Rosen J.M., Thelen D.G.,
//   Anderson F.C., Seth A.; CC BY 3.0): path points (origin, via, conditional and moving
//   points, in the body frames below) from Delp et al. 1990 (IEEE Trans Biomed Eng
//   37:757-767); max isometric force, optimal fibre length, tendon slack length and
//   pennation from Delp et al. 1990 and Anderson & Pandy 1999 (Comput Methods Biomech Biomed
//   Eng 2:201-231) as gait2392 holds them (gait2392_thelen2003muscle.osim, opensim-models
//   commit 20a888b9). Names are gait2392's. Only psoas is changed (see its entry).
// - Rectus abdominis, quadratus lumborum, multifidus: not in gait2392; derived here, each
//   entry says how (hip_model_trunk below).
//
// Muscle model: DeGrooteFregly2016Muscle (De Groote et al. 2016, Ann Biomed Eng
// 44:2922-2936); hip_model.cpp writes the properties. The quadriceps insert through the
// patellar tendon as points moving in the tibia frame with the knee angle (Delp et al. 1990,
// after Yamaguchi & Zajac 1989's planar knee), as gait2392 does.
#include <array>
#include <string>
#include <vector>

#include "hip_model_tables.hpp"

namespace femur::hip::detail {
namespace {

using P3 = std::array<double, 3>;

PointDef fixed(std::string body, P3 p) {
  PointDef d;
  d.body = std::move(body);
  d.location = Vec3(p[0], p[1], p[2]);
  return d;
}

// A point active only while `coordinate` is in [lo, hi] (OpenSim ConditionalPathPoint).
PointDef when(std::string body, P3 p, std::string coordinate, double lo, double hi) {
  PointDef d = fixed(std::move(body), p);
  d.kind = PathPoint::Kind::Conditional;
  d.coordinate = std::move(coordinate);
  d.range_min = lo;
  d.range_max = hi;
  return d;
}

// A quadriceps insertion moving with the knee angle (OpenSim MovingPathPoint): x and y are
// SimmSplines through the values at patellar_knots(); z is constant.
PointDef patellar(std::string body, std::vector<double> x, std::vector<double> y, double z) {
  PointDef d;
  d.kind = PathPoint::Kind::Moving;
  d.body = std::move(body);
  d.coordinate = "knee_angle";
  d.x_of_knee = std::move(x);
  d.y_of_knee = std::move(y);
  d.z = z;
  return d;
}

// Specific tension for the trunk muscles derived from a physiological cross-sectional area
// (PCSA): 61 N/cm^2, the value of Arnold et al. 2010 (Ann Biomed Eng 38:269-279).
// (Written out below as numbers so that the .osim shows them exactly.)

// The three trunk muscles femur adds. Max isometric force = PCSA x 61 N/cm^2; tendon
// slack length = path length in the neutral (default) pose minus the optimal fibre length,
// i.e. the fibres are at optimal length standing upright (femur's choice; no tendon data
// were found for these muscles); hip_model_test checks that this holds. Attachments are
// placed from the anatomy (Bogduk 2005, Clinical Anatomy of the Lumbar Spine and Sacrum) in
// gait2392's pelvis and torso frames, whose origins are the pelvis reference point between
// the anterior superior iliac spines and the L5/S1 joint (pelvis (-0.1007, 0.0815, 0)).
std::vector<MuscleDef> trunk_muscles() {
  return {
      // Rectus abdominis: pubic crest to the xiphoid and 5th-7th costal cartilages. PCSA
      // 2.6 cm^2 and optimal fascicle length 28.3 cm from Delp et al. 2001 (J Biomech
      // 34:371-375, five cadavers): 2.6 x 61 = 158.6 N.
      {"rect_abd", 158.6, 0.283, 0.1144, 0,
       {fixed("pelvis", {-0.025, -0.065, 0.030}),
        fixed("torso", {0.10, 0.25, 0.04})}},
      // Quadratus lumborum: posterior iliac crest and iliolumbar ligament to the 12th rib
      // and the L1-L4 transverse processes. PCSA 2.8 cm^2 and optimal fascicle length
      // 8.5 cm (its proximal, longer portion; the distal one is 5.6 cm) from Delp et al.
      // 2001: 2.8 x 61 = 170.8 N.
      {"quad_lumb", 170.8, 0.085, 0.0821, 0,
       {fixed("pelvis", {-0.095, 0.090, 0.075}),
        fixed("torso", {-0.025, 0.17, 0.045})}},
      // Multifidus (lumbar, one element for its L1-L5 fascicles): dorsal sacrum and
      // posterior superior iliac spine to the L2-L3 spinous processes. PCSA 23.9 cm^2 and
      // normalised fibre length 5.66 cm from Ward et al. 2009 (J Bone Joint Surg Am
      // 91:176-185): 23.9 x 61 = 1457.9 N.
      {"multif", 1457.9, 0.0566, 0.0631, 0,
       {fixed("pelvis", {-0.145, 0.055, 0.020}),
        fixed("torso", {-0.07, 0.09, 0.010})}},
  };
}

std::vector<MuscleDef> make_table() {
  std::vector<MuscleDef> table = {
      // ---- Gluteus medius and minimus: hip abductors and rotators (gait2392)
      {"glut_med1", 819, 0.0535, 0.078, 0.13962634,
       {fixed("pelvis", {-0.0408, 0.0304, 0.1209}),
        fixed("femur", {-0.0218, -0.0117, 0.0555})}},
      {"glut_med2", 573, 0.0845, 0.053, 0,
       {fixed("pelvis", {-0.0855, 0.0445, 0.0766}),
        fixed("femur", {-0.0258, -0.0058, 0.0527})}},
      {"glut_med3", 653, 0.0646, 0.053, 0.33161256,
       {fixed("pelvis", {-0.1223, 0.0105, 0.0648}),
        fixed("femur", {-0.0309, -0.0047, 0.0518})}},
      {"glut_min1", 270, 0.068, 0.016, 0.17453293,
       {fixed("pelvis", {-0.0467, -0.008, 0.1056}),
        fixed("femur", {-0.0072, -0.0104, 0.056})}},
      {"glut_min2", 285, 0.056, 0.026, 0,
       {fixed("pelvis", {-0.0633, -0.0065, 0.0991}),
        fixed("femur", {-0.0096, -0.0104, 0.056})}},
      {"glut_min3", 323, 0.038, 0.051, 0.01745329,
       {fixed("pelvis", {-0.0834, -0.0063, 0.0856}),
        fixed("femur", {-0.0135, -0.0083, 0.055})}},
      // ---- Gluteus maximus: hip extensor and external rotator (gait2392; via points over the
      // ischium and greater trochanter instead of a wrap surface)
      {"glut_max1", 573, 0.142, 0.125, 0.08726646,
       {fixed("pelvis", {-0.1195, 0.0612, 0.07}),
        fixed("pelvis", {-0.1291, 0.0012, 0.0886}),
        fixed("femur", {-0.0457, -0.0248, 0.0392}),
        fixed("femur", {-0.0277, -0.0566, 0.047})}},
      {"glut_max2", 819, 0.147, 0.127, 0,
       {fixed("pelvis", {-0.1349, 0.0176, 0.0563}),
        fixed("pelvis", {-0.1376, -0.052, 0.0914}),
        fixed("femur", {-0.0426, -0.053, 0.0293}),
        fixed("femur", {-0.0156, -0.1016, 0.0419})}},
      {"glut_max3", 552, 0.144, 0.145, 0.08726646,
       {fixed("pelvis", {-0.1556, -0.0314, 0.0058}),
        fixed("pelvis", {-0.1529, -0.1052, 0.0403}),
        fixed("femur", {-0.0299, -0.1041, 0.0135}),
        fixed("femur", {-0.006, -0.1419, 0.0411})}},
      // ---- Iliacus (gait2392: via points over the pelvic brim and a conditional point at the
      // iliopectineal eminence, Delp et al. 1990, instead of a wrap surface). Psoas follows,
      // with its origin moved onto the lumbar spine
      {"iliacus", 1073, 0.1, 0.1, 0.12217305,
       {fixed("pelvis", {-0.0674, 0.0365, 0.0854}),
        fixed("pelvis", {-0.0258, -0.055, 0.0811}),
        when("pelvis", {-0.0288, -0.0805, 0.0816}, "hip_flexion", -1.5708, 0.785398),
        fixed("femur", {0.0017, -0.0543, 0.0057}),
        fixed("femur", {-0.0193, -0.0621, 0.0129})}},
      // Psoas major: gait2392's path below L5 (its first point, lateral to the L5 body, is
      // kept as a via point on the pelvis) with the origin moved onto the torso at the level
      // of L3, the middle of its T12-L4 attachments (Bogduk et al. 1992, Clin Biomech 7:109),
      // 3 cm lateral and 3 cm anterior of the L5/S1 centre, so that psoas crosses the lumbar
      // joint and loads L5/S1. The path gets 0.0830 m longer at the neutral pose; that length
      // is added to gait2392's tendon slack length (0.16 m) so the fibres keep gait2392's
      // operating length: 0.16 + 0.0830 = 0.2430 m.
      {"psoas", 1113, 0.1, 0.2430, 0.13962634,
       {fixed("torso", {0.03, 0.09, 0.03}),
        fixed("pelvis", {-0.0647, 0.0887, 0.0289}),
        fixed("pelvis", {-0.0238, -0.057, 0.0759}),
        when("pelvis", {-0.0288, -0.0805, 0.0816}, "hip_flexion", -1.5708, 0.785398),
        fixed("femur", {0.0016, -0.0507, 0.0038}),
        fixed("femur", {-0.0188, -0.0597, 0.0104})}},
      // ---- Deep external rotators (gait2392)
      {"peri", 444, 0.026, 0.115, 0.17453293,
       {fixed("pelvis", {-0.1396, 0.0003, 0.0235}),
        fixed("pelvis", {-0.1193, -0.0276, 0.0657}),
        fixed("femur", {-0.0148, -0.0036, 0.0437})}},
      {"gem", 164, 0.024, 0.039, 0,
       {fixed("pelvis", {-0.1133, -0.082, 0.0714}),
        fixed("femur", {-0.0142, -0.0033, 0.0443})}},
      {"quad_fem", 381, 0.054, 0.024, 0,
       {fixed("pelvis", {-0.1143, -0.1151, 0.052}),
        fixed("femur", {-0.0381, -0.0359, 0.0366})}},
      // ---- Adductors (gait2392)
      {"pect", 266, 0.1, 0.033, 0,
       {fixed("pelvis", {-0.0431, -0.0768, 0.0451}),
        fixed("femur", {-0.0122, -0.0822, 0.0253})}},
      {"add_long", 627, 0.138, 0.11, 0.10471976,
       {fixed("pelvis", {-0.0316, -0.0836, 0.0169}),
        fixed("femur", {0.005, -0.2111, 0.0234})}},
      {"add_brev", 429, 0.133, 0.02, 0,
       {fixed("pelvis", {-0.0587, -0.0915, 0.0164}),
        fixed("femur", {0.0009, -0.1196, 0.0294})}},
      {"add_mag1", 381, 0.087, 0.06, 0.08726646,
       {fixed("pelvis", {-0.0732, -0.1174, 0.0255}),
        fixed("femur", {-0.0045, -0.1211, 0.0339})}},
      {"add_mag2", 343, 0.121, 0.12, 0.05235988,
       {fixed("pelvis", {-0.0831, -0.1192, 0.0308}),
        fixed("femur", {0.0054, -0.2285, 0.0227})}},
      {"add_mag3", 488, 0.131, 0.249, 0.08726646,
       {fixed("pelvis", {-0.11108, -0.11413, 0.04882}),
        fixed("femur", {0.007, -0.3837, -0.0266})}},
      {"grac", 162, 0.352, 0.126, 0.05235988,
       {fixed("pelvis", {-0.07401, -0.1187, 0.02794}),
        when("tibia", {-0.02657, -0.0319, -0.03774}, "knee_angle", -0.436332, 0.174533),
        fixed("tibia", {-0.01943, -0.05153, -0.0358}),
        fixed("tibia", {0.006, -0.0836, -0.0228})}},
      // ---- Tensor fasciae latae, sartorius, rectus femoris (gait2392; rectus femoris inserts
      // through the patellar tendon: moving point)
      {"tfl", 233, 0.095, 0.425, 0.05235988,
       {fixed("pelvis", {-0.0311, 0.0214, 0.1241}),
        fixed("femur", {0.0294, -0.0995, 0.0597}),
        fixed("femur", {0.0054, -0.4049, 0.0357}),
        fixed("tibia", {0.006, -0.0487, 0.0297})}},
      {"sar", 156, 0.52, 0.1, 0,
       {fixed("pelvis", {-0.0153, -0.0013, 0.1242}),
        fixed("femur", {-0.003, -0.3568, -0.0421}),
        fixed("tibia", {-0.0056, -0.0419, -0.0399}),
        fixed("tibia", {0.006, -0.0589, -0.0383}),
        fixed("tibia", {0.0243, -0.084, -0.0252})}},
      {"rect_fem", 1169, 0.114, 0.31, 0.08726646,
       {fixed("pelvis", {-0.0295, -0.0311, 0.0968}),
        when("femur", {0.0334, -0.403, 0.0019}, "knee_angle", -2.61799, -1.45997),
        patellar("tibia",
                 {0.0155805, 0.0179938, 0.0275081, 0.0296564, 0.0307615, 0.0365695, 0.0422074,
                  0.0450902, 0.048391, 0.0534299, 0.0617576, 0.0617669, 0.0617762, 0.0633083,
                  0.066994, 0.0733035, 0.0573481},
                 {0.0234116, 0.0237613, 0.0251141, 0.0252795, 0.0253146, 0.0249184, 0.0242373,
                  0.0238447, 0.0234197, 0.0227644, 0.020984, 0.0209814, 0.0209788, 0.0205225,
                  0.0191754, 0.0159554, -0.0673774}, 0.0014)}},
      // ---- Hamstrings (gait2392)
      {"semimem", 1288, 0.08, 0.359, 0.26179939,
       {fixed("pelvis", {-0.1192, -0.09747, 0.07151}),
        when("tibia", {-0.0348, -0.03519, -0.01891}, "knee_angle", -0.558505, 0.174533),
        fixed("tibia", {-0.027, -0.04771, -0.01957})}},
      {"semiten", 410, 0.201, 0.2555, 0.08726646,
       {fixed("pelvis", {-0.12635, -0.10988, 0.06039}),
        when("tibia", {-0.04203, -0.02859, -0.02277}, "knee_angle", -0.331613, 0.174533),
        fixed("tibia", {-0.03322, -0.05282, -0.02288}),
        fixed("tibia", {-0.0113, -0.0746, -0.0245}),
        fixed("tibia", {0.0027, -0.0956, -0.0193})}},
      {"bifemlh", 896, 0.109, 0.326, 0,
       {fixed("pelvis", {-0.12596, -0.10257, 0.06944}),
        fixed("tibia", {-0.0301, -0.036, 0.02943}),
        fixed("tibia", {-0.0234, -0.0563, 0.0343})}},
      // ---- Muscles of the knee only (gait2392)
      {"bifemsh", 804, 0.173, 0.089, 0.40142573,
       {fixed("femur", {0.005, -0.2111, 0.0234}),
        fixed("tibia", {-0.0301, -0.036, 0.02943}),
        fixed("tibia", {-0.0234, -0.0563, 0.0343})}},
      {"vas_med", 1294, 0.089, 0.126, 0.08726646,
       {fixed("femur", {0.014, -0.2099, 0.0188}),
        fixed("femur", {0.0356, -0.2769, 0.0009}),
        when("femur", {0.037, -0.4048, -0.0125}, "knee_angle", -2.61799, -1.21004),
        when("femur", {0.0274, -0.4255, -0.0131}, "knee_angle", -2.61799, -1.78006),
        patellar("tibia",
                 {0.00981097, 0.0122243, 0.0217371, 0.0238851, 0.0249902, 0.0307959, 0.0364187,
                  0.0392871, 0.0425654, 0.0475764, 0.0559586, 0.0559681, 0.0559776, 0.0575419,
                  0.0613368, 0.0679503, 0.0629332},
                 {0.0224154, 0.0227651, 0.0241265, 0.0242933, 0.0243287, 0.0239462, 0.0233593,
                  0.0230677, 0.0228342, 0.0226362, 0.0217917, 0.0217903, 0.0217889, 0.0215365,
                  0.0206842, 0.0183269, -0.0656205}, -0.0146)}},
      {"vas_int", 1365, 0.087, 0.136, 0.05235988,
       {fixed("femur", {0.029, -0.1924, 0.031}),
        fixed("femur", {0.0335, -0.2084, 0.0285}),
        when("femur", {0.0343, -0.403, 0.0055}, "knee_angle", -2.61799, -1.42),
        patellar("tibia",
                 {0.0082733, 0.0106866, 0.0202042, 0.022353, 0.0234583, 0.0292715, 0.0349465,
                  0.037871, 0.0412569, 0.0465287, 0.0554632, 0.0554735, 0.0554837, 0.0571717,
                  0.061272, 0.0684368, 0.0648818},
                 {0.025599, 0.0259487, 0.0273124, 0.0274796, 0.0275151, 0.0271363, 0.0265737,
                  0.0263073, 0.0261187, 0.0260129, 0.0252923, 0.0252911, 0.0252898, 0.0250526,
                  0.0242191, 0.0218288, -0.0685706}, 0.0018)}},
      {"vas_lat", 1871, 0.084, 0.157, 0.08726646,
       {fixed("femur", {0.0048, -0.1854, 0.0349}),
        fixed("femur", {0.0269, -0.2591, 0.0409}),
        when("femur", {0.0361, -0.403, 0.0205}, "knee_angle", -2.61799, -1.21004),
        when("femur", {0.0253, -0.4243, 0.0184}, "knee_angle", -2.61799, -1.92004),
        patellar("tibia",
                 {0.0142897, 0.016703, 0.0262145, 0.0283623, 0.0294674, 0.0352709, 0.0408785,
                  0.0437291, 0.0469704, 0.0518742, 0.0599557, 0.0599647, 0.0599738, 0.0614577,
                  0.0650351, 0.0711867, 0.0583766},
                 {0.0215318, 0.0218815, 0.0232362, 0.0234019, 0.0234371, 0.0230439, 0.0223842,
                  0.0220151, 0.0216359, 0.0210971, 0.0195864, 0.0195842, 0.019582, 0.01919,
                  0.018008, 0.0151073, -0.0653421}, 0.0165)}},
      // ---- Plantarflexors and invertors/evertors (gait2392)
      {"med_gas", 1558, 0.06, 0.39, 0.29670597,
       {fixed("femur", {-0.019, -0.3929, -0.0235}),
        when("femur", {-0.03, -0.4022, -0.0258}, "knee_angle", -0.785398, 0.174533),
        fixed("calcn", {0, 0.031, -0.0053})}},
      {"lat_gas", 683, 0.064, 0.38, 0.13962634,
       {fixed("femur", {-0.022, -0.3946, 0.0272}),
        when("femur", {-0.03, -0.4018, 0.0274}, "knee_angle", -0.785398, 0.174533),
        fixed("calcn", {0, 0.031, -0.0053})}},
      {"soleus", 3549, 0.05, 0.25, 0.43633231,
       {fixed("tibia", {-0.0024, -0.1533, 0.0071}),
        fixed("calcn", {0, 0.031, -0.0053})}},
      {"tib_post", 1588, 0.031, 0.31, 0.20943951,
       {fixed("tibia", {-0.0094, -0.1348, 0.0019}),
        fixed("tibia", {-0.0144, -0.4051, -0.0229}),
        fixed("calcn", {0.0417, 0.0334, -0.0286}),
        fixed("calcn", {0.0772, 0.0159, -0.0281})}},
      {"flex_dig", 310, 0.034, 0.4, 0.12217305,
       {fixed("tibia", {-0.0083, -0.2046, -0.0018}),
        fixed("tibia", {-0.0154, -0.4051, -0.0196}),
        fixed("calcn", {0.0436, 0.0315, -0.028}),
        fixed("calcn", {0.0708, 0.0176, -0.0263}),
        fixed("calcn", {0.1658, -0.0081, 0.0116}),
        fixed("toes", {-0.0019, -0.0078, 0.0147}),
        fixed("toes", {0.0285, -0.0071, 0.0215}),
        fixed("toes", {0.0441, -0.006, 0.0242})}},
      {"flex_hal", 322, 0.043, 0.38, 0.17453293,
       {fixed("tibia", {-0.0079, -0.2334, 0.0244}),
        fixed("tibia", {-0.0186, -0.4079, -0.0174}),
        fixed("calcn", {0.0374, 0.0276, -0.0241}),
        fixed("calcn", {0.1038, 0.0068, -0.0256}),
        fixed("calcn", {0.1726, -0.0053, -0.0269}),
        fixed("toes", {0.0155, -0.0064, -0.0265}),
        fixed("toes", {0.0562, -0.0102, -0.0181})}},
      {"per_brev", 435, 0.05, 0.161, 0.08726646,
       {fixed("tibia", {-0.007, -0.2646, 0.0325}),
        fixed("tibia", {-0.0198, -0.4184, 0.0283}),
        fixed("tibia", {-0.0144, -0.4295, 0.0289}),
        fixed("calcn", {0.0471, 0.027, 0.0233}),
        fixed("calcn", {0.0677, 0.0219, 0.0343})}},
      {"per_long", 943, 0.049, 0.345, 0.17453293,
       {fixed("tibia", {0.0005, -0.1568, 0.0362}),
        fixed("tibia", {-0.0207, -0.4205, 0.0286}),
        fixed("tibia", {-0.0162, -0.4319, 0.0289}),
        fixed("calcn", {0.0438, 0.023, 0.0221}),
        fixed("calcn", {0.0681, 0.0106, 0.0284}),
        fixed("calcn", {0.0852, 0.0069, 0.0118}),
        fixed("calcn", {0.1203, 0.0085, -0.0184})}},
      // ---- Dorsiflexors (gait2392)
      {"tib_ant", 905, 0.098, 0.223, 0.08726646,
       {fixed("tibia", {0.0179, -0.1624, 0.0115}),
        fixed("tibia", {0.0329, -0.3951, -0.0177}),
        fixed("calcn", {0.1166, 0.0178, -0.0305})}},
      {"per_tert", 180, 0.079, 0.1, 0.2268928,
       {fixed("tibia", {0.001, -0.2804, 0.0231}),
        fixed("tibia", {0.0229, -0.4069, 0.0159}),
        fixed("calcn", {0.0857, 0.0228, 0.0299})}},
      {"ext_dig", 512, 0.102, 0.345, 0.13962634,
       {fixed("tibia", {0.0032, -0.1381, 0.0276}),
        fixed("tibia", {0.0289, -0.4007, 0.0072}),
        fixed("calcn", {0.0922, 0.0388, -0.0001}),
        fixed("calcn", {0.1616, 0.0055, 0.013}),
        fixed("toes", {0.0003, 0.0047, 0.0153}),
        fixed("toes", {0.0443, -0.0004, 0.025})}},
      {"ext_hal", 162, 0.111, 0.305, 0.10471976,
       {fixed("tibia", {0.0012, -0.1767, 0.0228}),
        fixed("tibia", {0.0326, -0.3985, -0.0085}),
        fixed("calcn", {0.097, 0.0389, -0.0211}),
        fixed("calcn", {0.1293, 0.0309, -0.0257}),
        fixed("calcn", {0.1734, 0.0139, -0.028}),
        fixed("toes", {0.0298, 0.0041, -0.0245}),
        fixed("toes", {0.0563, 0.0034, -0.0186})}},
      // ---- Trunk from gait2392 (erector spinae and obliques of Anderson and Pandy 1999); the
      // other trunk muscles follow
      {"ercspn", 2500, 0.12, 0.03, 0,
       {fixed("pelvis", {-0.14, 0.0439, 0.0436}),
        fixed("torso", {-0.055, 0.11, 0.0241})}},
      {"intobl", 900, 0.1, 0.1, 0,
       {fixed("pelvis", {-0.04, 0.07, 0.1157}),
        fixed("torso", {0.07, 0.16, 0.015})}},
      {"extobl", 900, 0.12, 0.14, 0,
       {fixed("pelvis", {-0.03, -0.0636, 0.01}),
        fixed("torso", {0.065, 0.11, 0.11})}},
  };
  for (MuscleDef& m : trunk_muscles()) table.push_back(std::move(m));
  return table;
}

}  // namespace

const std::vector<double>& patellar_knots() {
  // Knee angles (rad) of the quadriceps insertion splines of gait2392 (Delp et al. 1990).
  static const std::vector<double> knots = {
      -2.0944, -1.99997, -1.5708, -1.45752, -1.39626, -1.0472, -0.698132, -0.526391,
      -0.349066, -0.174533, 0, 0.00017453, 0.00034907, 0.0279253, 0.0872665, 0.174533,
      2.0944};
  return knots;
}

const std::vector<MuscleDef>& muscle_table() {
  static const std::vector<MuscleDef> table = make_table();
  return table;
}

// glut_med1 ... bifemlh: the first 27 entries.
int hip_muscle_count() { return 27; }

}  // namespace femur::hip::detail
