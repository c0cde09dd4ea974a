// Typed parts read from .osim files (src/io/osim_forces.cpp, osim_components.cpp): OpenSim's
// defaults and old names, every force class femur types, contact geometry and controllers in
// their sets or the model's <components>, each bad value an error at its line, and the writer
// giving the same parts back.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "femur/io/error.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/osim_writer.hpp"
#include "femur/muscle/muscle_model.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

namespace fs = std::filesystem;

fs::path bad_file(const std::string& name) { return test::source_dir() / "tests" / "data" / "bad" / name; }

// Lines 1-24 are the skeleton; `forces` starts at line 25, the rest follow it.
std::string model(const std::string& forces, const std::string& after = "") {
  return R"(<?xml version="1.0" encoding="UTF-8" ?>
<OpenSimDocument Version="40000">
<Model name="small">
<Ground name="ground" />
<BodySet name="bodyset"><objects>
<Body name="pelvis"><mass>10</mass><inertia>1 1 1 0 0 0</inertia></Body>
<Body name="thigh"><mass>8</mass><mass_center>0 -0.2 0</mass_center><inertia>0.1 0.02 0.1 0 0 0</inertia>
<WrapObjectSet><objects>
<WrapCylinder name="cyl"><translation>0 -0.1 0</translation><radius>0.03</radius><length>0.1</length></WrapCylinder>
</objects></WrapObjectSet>
</Body>
</objects></BodySet>
<JointSet name="jointset"><objects>
<WeldJoint name="ground_pelvis"><socket_parent_frame>/ground</socket_parent_frame>
<socket_child_frame>/bodyset/pelvis</socket_child_frame></WeldJoint>
<PinJoint name="hip"><socket_parent_frame>/bodyset/pelvis</socket_parent_frame>
<socket_child_frame>/bodyset/thigh</socket_child_frame>
<coordinates><Coordinate name="hip_flexion"><range>-1 2</range></Coordinate></coordinates></PinJoint>
</objects></JointSet>
<ContactGeometrySet><objects>
<ContactSphere name="heel"><socket_frame>/bodyset/thigh</socket_frame><location>0 -0.4 0</location><radius>0.03</radius></ContactSphere>
<ContactHalfSpace name="floor"><socket_frame>/ground</socket_frame><orientation>0 0 -1.5707963267948966</orientation></ContactHalfSpace>
</objects></ContactGeometrySet>
<ForceSet name="forceset"><objects>
)" + forces + "\n</objects></ForceSet>\n" +
         after + "</Model>\n</OpenSimDocument>\n";
}

// A two-point GeometryPath from the pelvis to the thigh.
const char* kPath = R"(<GeometryPath><PathPointSet><objects>
<PathPoint name="a"><socket_parent_frame>/bodyset/pelvis</socket_parent_frame><location>0 0 0.05</location></PathPoint>
<PathPoint name="b"><socket_parent_frame>/bodyset/thigh</socket_parent_frame><location>0 -0.2 0.05</location></PathPoint>
</objects></PathPointSet></GeometryPath>)";

std::string muscle(const std::string& type, const std::string& properties) {
  return "<" + type + " name=\"vasti_r\">" + kPath + properties + "</" + type + ">";
}

Model read(const std::string& text, std::vector<std::string>* warnings = nullptr) {
  return io::read_osim_string(text, "model.osim", warnings);
}

std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const io::ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string error_of_file(const fs::path& file) {
  try {
    io::read_osim(file);
  } catch (const io::ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

const ForceElement& force(const Model& m, const std::string& name) {
  const int k = m.force_index(name);
  if (k < 0) throw std::runtime_error("no force " + name);
  return m.forces[k];
}

// ---------------------------------------------------------------------------------------
// Muscles

TEST(OsimForces, MissingMusclePropertiesTakeOpenSimsDefaults) {
  const Model m = read(model(muscle("Thelen2003Muscle", "")));
  const auto& p = std::get<MuscleParameters>(force(m, "vasti_r").part);
  EXPECT_EQ(p, [] {
    MuscleParameters d = default_muscle_parameters(MuscleKind::Thelen2003);
    d.name = "vasti_r";
    return d;
  }());
  EXPECT_TRUE(force(m, "vasti_r").given.empty());
}

TEST(OsimForces, ReadsCurvePropertiesAndOldNames) {
  const Model m = read(model(muscle("Millard2012EquilibriumMuscle", R"(
<max_isometric_force>2700</max_isometric_force><pennation_angle>0.1</pennation_angle>
<ActiveForceLengthCurve name="afl"><minimum_value>0</minimum_value></ActiveForceLengthCurve>
<ForceVelocityCurve><eccentric_slope_near_vmax>0.14999999999999999</eccentric_slope_near_vmax></ForceVelocityCurve>
<FiberForceLengthCurve/><ignore_tendon_compliance>true</ignore_tendon_compliance>)")));
  const ForceElement& f = force(m, "vasti_r");
  const auto& p = std::get<MuscleParameters>(f.part);
  EXPECT_EQ(p.kind, MuscleKind::Millard2012);
  EXPECT_EQ(p.max_isometric_force, 2700);
  EXPECT_EQ(p.pennation_angle_at_optimal, 0.1);
  EXPECT_EQ(p.active_force_length.minimum_value, 0.0);
  EXPECT_EQ(p.force_velocity.eccentric_slope_near_vmax, 0.15);
  EXPECT_TRUE(p.ignore_tendon_compliance);
  EXPECT_EQ(p.activation_time_constant, 0.010);  // Millard's default
  EXPECT_EQ(f.given, (std::vector<std::string>{"max_isometric_force", "pennation_angle_at_optimal",
                                               "ActiveForceLengthCurve/minimum_value",
                                               "ForceVelocityCurve/eccentric_slope_near_vmax",
                                               "ignore_tendon_compliance"}));
}

TEST(OsimForces, BadMuscleValuesAreErrorsAtTheirLine) {
  const auto message = [](const std::string& type, const std::string& properties) {
    return error_of(model(muscle(type, "\n" + properties)));
  };
  // The muscle starts on line 25, its path ends on line 28, the property is on line 29.
  EXPECT_EQ(message("Thelen2003Muscle", "<max_isometric_force>abc</max_isometric_force>"),
            "model.osim:29: Thelen2003Muscle 'vasti_r': <max_isometric_force> is 'abc', not a number");
  EXPECT_EQ(message("Thelen2003Muscle", "<max_isometric_force>12 N</max_isometric_force>"),
            "model.osim:29: Thelen2003Muscle 'vasti_r': <max_isometric_force> is '12 N', not a number");
  EXPECT_EQ(message("Thelen2003Muscle", "<max_isometric_force>-5</max_isometric_force>"),
            "model.osim:29: Thelen2003Muscle 'vasti_r': <max_isometric_force> must not be negative, got -5");
  EXPECT_EQ(message("Millard2012EquilibriumMuscle", "<optimal_fiber_length>0</optimal_fiber_length>"),
            "model.osim:29: Millard2012EquilibriumMuscle 'vasti_r': <optimal_fiber_length> must be positive, got 0");
  EXPECT_EQ(message("DeGrooteFregly2016Muscle", "<tendon_slack_length>NaN</tendon_slack_length>"),
            "model.osim:29: DeGrooteFregly2016Muscle 'vasti_r': <tendon_slack_length> is 'NaN', not a number");
  EXPECT_EQ(message("Thelen2003Muscle", "<pennation_angle_at_optimal>1.6</pennation_angle_at_optimal>"),
            "model.osim:29: Thelen2003Muscle 'vasti_r': <pennation_angle_at_optimal> must be in [0, pi/2), got "
            "1.600000");
  EXPECT_EQ(message("Thelen2003Muscle", "<ignore_tendon_compliance>yes</ignore_tendon_compliance>"),
            "model.osim:29: Thelen2003Muscle 'vasti_r': <ignore_tendon_compliance> is 'yes', expected true or false");
  // A cross-property rule of the model: reported where the property is, or at the muscle.
  EXPECT_EQ(message("Millard2012EquilibriumMuscle", "<FiberForceLengthCurve><curviness>0.7</curviness>"
                                                     "</FiberForceLengthCurve>"),
            "model.osim:29: Millard2012EquilibriumMuscle 'vasti_r': <FiberForceLengthCurve> optional "
            "stiffness_at_low_force, stiffness_at_one_norm_force and curviness must all be set or all be empty");
  EXPECT_EQ(message("Thelen2003Muscle", "<Flen>1</Flen>"),
            "model.osim:29: Thelen2003Muscle 'vasti_r': <Flen> must exceed 1");
  // A muscle without a path.
  EXPECT_EQ(error_of(model("<Thelen2003Muscle name=\"m\"/>")), "model.osim:25: Thelen2003Muscle 'm': a muscle needs a "
                                                               "<GeometryPath>");
}

TEST(OsimForces, ThelenMinimumActivationBelowOpenSimsFloorLoadsWithAWarningAndToolsRefuseIt) {
  std::vector<std::string> warnings;
  const Model m = read(model(muscle("Thelen2003Muscle", "\n<minimum_activation>0</minimum_activation>")), &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "model.osim:29: Thelen2003Muscle 'vasti_r': <minimum_activation> must be at least 0.01 for "
            "Thelen2003Muscle, got 0.000000; OpenSim refuses this muscle, and so do femur's tools");
  EXPECT_THROW(MuscleSet{m}, std::invalid_argument);
}

TEST(OsimForces, UnknownPropertiesAreWarningsAndObsoleteThelenOnesAreSkipped) {
  std::vector<std::string> warnings;
  read(model(muscle("Thelen2003Muscle", "\n<max_isometric_forc>10</max_isometric_forc><Vmax>10</Vmax>"
                                        "<Af>0.3</Af>")),
       &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "model.osim:29: Thelen2003Muscle 'vasti_r': <max_isometric_forc> is not a property femur reads for "
            "Thelen2003Muscle, ignored");
  warnings.clear();
  // Thelen's properties are not DeGroote's.
  read(model(muscle("DeGrooteFregly2016Muscle", "\n<FmaxTendonStrain>0.04</FmaxTendonStrain>")), &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("<FmaxTendonStrain> is not a property femur reads for DeGrooteFregly2016Muscle"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Every other class femur types

const char* kEveryPart = R"(<GeneralizedForce name="old_reserve"><coordinate>hip_flexion</coordinate>
<optimal_force>50</optimal_force><isDisabled>true</isDisabled></GeneralizedForce>
<ActivationCoordinateActuator name="aca"><coordinate>/jointset/hip/hip_flexion</coordinate>
<activation_time_constant>0.02</activation_time_constant><min_control>-1</min_control><max_control>1</max_control></ActivationCoordinateActuator>
<PointActuator name="push"><body>thigh</body><point>0 -0.3 0</point><direction>0 0 2</direction><force_is_global>true</force_is_global></PointActuator>
<TorqueActuator name="twist"><bodyA>thigh</bodyA><bodyB>pelvis</bodyB><axis>0 0 1</axis><torque_is_global>false</torque_is_global></TorqueActuator>
<PathActuator name="pa">)" "%PATH%" R"(<optimal_force>200</optimal_force></PathActuator>
<CoordinateLimitForce name="limit"><coordinate>hip_flexion</coordinate><upper_stiffness>10</upper_stiffness>
<upper_limit>90</upper_limit><lower_stiffness>2</lower_stiffness><lower_limit>-20</lower_limit><transition>5</transition></CoordinateLimitForce>
<PathSpring name="spring">)" "%PATH%" R"(<resting_length>0.2</resting_length><stiffness>100</stiffness><dissipation>0.1</dissipation></PathSpring>
<SpringGeneralizedForce name="sgf"><coordinate>hip_flexion</coordinate><stiffness>3</stiffness><rest_length>0.1</rest_length><viscosity>0.5</viscosity></SpringGeneralizedForce>
<PointToPointSpring name="p2p"><socket_body1>/bodyset/pelvis</socket_body1><socket_body2>/bodyset/thigh</socket_body2>
<point1>0 0.1 0</point1><point2>0 -0.1 0</point2><stiffness>1000</stiffness><rest_length>0.3</rest_length></PointToPointSpring>
<ExpressionBasedCoordinateForce name="passive"><coordinate>hip_flexion</coordinate>
<expression>-2.44*exp(5.05*(q - 1.81)) - 1.0*qdot</expression></ExpressionBasedCoordinateForce>
<PrescribedForce name="pf"><socket_frame>/bodyset/thigh</socket_frame><forceIsGlobal>false</forceIsGlobal>
<FunctionSet name="forceFunctions"><objects><Constant><value>1</value></Constant><Constant><value>2</value></Constant>
<LinearFunction><coefficients>3 0</coefficients></LinearFunction></objects></FunctionSet></PrescribedForce>
<SmoothSphereHalfSpaceForce name="contact"><socket_sphere>/contactgeometryset/heel</socket_sphere>
<socket_half_space>/contactgeometryset/floor</socket_half_space><stiffness>1e6</stiffness><derivative_smoothing>2e-5</derivative_smoothing></SmoothSphereHalfSpaceForce>
<HuntCrossleyForce name="hc"><contact_parameters><HuntCrossleyForce::ContactParametersSet><objects>
<HuntCrossleyForce::ContactParameters><geometry>heel floor</geometry><stiffness>1e7</stiffness><dissipation>0.5</dissipation>
</HuntCrossleyForce::ContactParameters></objects></HuntCrossleyForce::ContactParametersSet></contact_parameters>
<transition_velocity>0.2</transition_velocity></HuntCrossleyForce>
<Schutte1993Muscle name="schutte">)" "%PATH%" R"(<max_isometric_force>500</max_isometric_force><time_scale>0.2</time_scale>
<active_force_length_curve><SimmSpline><x>0 1 2</x><y>0 1 0</y></SimmSpline></active_force_length_curve></Schutte1993Muscle>)";

std::string every_part() {
  std::string s = kEveryPart;
  for (std::size_t at; (at = s.find("%PATH%")) != std::string::npos;) s.replace(at, 6, kPath);
  return s;
}

TEST(OsimForces, ReadsEveryTypedForceClass) {
  std::vector<std::string> warnings;
  const Model m = read(model(every_part()), &warnings);
  ASSERT_EQ(m.forces.size(), 14u);
  const int hip = m.coordinate_index("hip_flexion"), thigh = m.body_index("thigh"), pelvis = m.body_index("pelvis");

  const ForceElement& old = force(m, "old_reserve");
  EXPECT_EQ(old.type, "GeneralizedForce");
  EXPECT_EQ(force_class_name(old), "CoordinateActuator");  // RegisterTypes_osimActuators: renamed
  EXPECT_FALSE(old.applies_force);
  EXPECT_EQ(std::get<CoordinateActuator>(old.part).coordinate, hip);
  EXPECT_EQ(std::get<CoordinateActuator>(old.part).optimal_force, 50);
  const auto& aca = std::get<ActivationCoordinateActuator>(force(m, "aca").part);
  EXPECT_EQ(aca.coordinate, hip);
  EXPECT_EQ(aca.activation_time_constant, 0.02);
  EXPECT_EQ(aca.default_activation, 0.5);
  EXPECT_EQ(aca.min_control, -1);
  const auto& push = std::get<PointActuator>(force(m, "push").part);
  EXPECT_EQ(push.body, thigh);
  EXPECT_EQ(push.direction, Vec3(0, 0, 2));
  EXPECT_TRUE(push.force_is_global);
  EXPECT_FALSE(push.point_is_global);
  EXPECT_EQ(push.min_control, -std::numeric_limits<double>::infinity());
  const auto& twist = std::get<TorqueActuator>(force(m, "twist").part);
  EXPECT_EQ(twist.body_a, thigh);
  EXPECT_EQ(twist.body_b, pelvis);
  EXPECT_FALSE(twist.torque_is_global);
  EXPECT_EQ(std::get<PathActuator>(force(m, "pa").part).optimal_force, 200);
  const auto& limit = std::get<CoordinateLimitForce>(force(m, "limit").part);
  EXPECT_EQ(limit.upper_limit, 90);  // degrees, as written
  EXPECT_EQ(limit.transition, 5);
  EXPECT_EQ(limit.damping, 0.001);  // default
  EXPECT_EQ(std::get<PathSpring>(force(m, "spring").part), (PathSpring{0.2, 100, 0.1}));
  EXPECT_EQ(std::get<SpringGeneralizedForce>(force(m, "sgf").part), (SpringGeneralizedForce{hip, 3, 0.1, 0.5}));
  const auto& p2p = std::get<PointToPointSpring>(force(m, "p2p").part);
  EXPECT_EQ(p2p.body1, pelvis);
  EXPECT_EQ(p2p.body2, thigh);
  EXPECT_EQ(p2p.rest_length, 0.3);
  const auto& expr = std::get<ExpressionBasedCoordinateForce>(force(m, "passive").part);
  EXPECT_EQ(expr.coordinate, hip);
  EXPECT_EQ(expr.expression, "-2.44*exp(5.05*(q-1.81))-1.0*qdot");  // whitespace removed, as OpenSim
  const auto& pf = std::get<PrescribedForce>(force(m, "pf").part);
  EXPECT_EQ(pf.body, thigh);
  EXPECT_FALSE(pf.force_is_global);
  ASSERT_GE(pf.force_functions[2], 0);
  EXPECT_EQ(m.functions[pf.force_functions[2]].value(2.0), 6.0);
  EXPECT_EQ(pf.point_functions[0], -1);
  const auto& contact = std::get<SmoothSphereHalfSpaceForce>(force(m, "contact").part);
  EXPECT_EQ(m.contact_geometry[contact.sphere].name, "heel");
  EXPECT_EQ(m.contact_geometry[contact.half_space].name, "floor");
  EXPECT_EQ(contact.stiffness, 1e6);
  EXPECT_EQ(contact.constant_contact_force, 2e-5);  // Moco's derivative_smoothing
  EXPECT_EQ(contact.hertz_smoothing, 300);
  const auto& hc = std::get<HuntCrossleyForce>(force(m, "hc").part);
  ASSERT_EQ(hc.contact_parameters.size(), 1u);
  EXPECT_EQ(hc.contact_parameters[0].geometry, (std::vector<int>{0, 1}));
  EXPECT_EQ(hc.contact_parameters[0].stiffness, 1e7);
  EXPECT_EQ(hc.transition_velocity, 0.2);
  const auto& schutte = std::get<Schutte1993Muscle>(force(m, "schutte").part);
  EXPECT_EQ(schutte.max_isometric_force, 500);
  EXPECT_EQ(schutte.time_scale, 0.2);
  EXPECT_EQ(schutte.activation1, 7.667);
  ASSERT_GE(schutte.active_force_length_curve, 0);
  EXPECT_EQ(m.functions[schutte.active_force_length_curve].value(1.0), 1.0);
  EXPECT_EQ(schutte.tendon_force_length_curve, -1);

  // Contact geometry: a sphere on the thigh, the floor on ground.
  ASSERT_EQ(m.contact_geometry.size(), 2u);
  EXPECT_EQ(m.contact_geometry[0].kind, ContactGeometry::Kind::Sphere);
  EXPECT_EQ(m.contact_geometry[0].body, thigh);
  EXPECT_EQ(m.contact_geometry[0].radius, 0.03);
  EXPECT_EQ(m.contact_geometry[0].location, Vec3(0, -0.4, 0));
  EXPECT_EQ(m.contact_geometry[1].kind, ContactGeometry::Kind::HalfSpace);
  EXPECT_EQ(m.contact_geometry[1].body, 0);

  // Which femur simulates; the others are named in a warning with their line.
  for (const char* name : {"old_reserve", "aca", "push", "twist", "pa", "limit", "spring", "sgf"})
    EXPECT_TRUE(is_simulated(force(m, name))) << name;
  for (const char* name : {"p2p", "passive", "pf", "contact", "hc", "schutte"}) {
    EXPECT_FALSE(is_simulated(force(m, name))) << name;
    const std::string said = std::string(name) == "contact"
                                 ? "' is read and checked; femur track and predict compute its force, forward "
                                   "simulation and the analysis tools leave it out"
                                 : "' is read and checked, but femur does not compute its force yet";
    const std::string w =
        "model.osim:" + std::to_string(force(m, name).line) + ": " + force(m, name).type + " '" + name + said;
    EXPECT_NE(std::find(warnings.begin(), warnings.end(), w), warnings.end()) << w;
  }
  EXPECT_EQ(warnings.size(), 6u);
  EXPECT_TRUE(is_muscle(force(m, "schutte")));
  EXPECT_TRUE(is_actuator(force(m, "pa")));
  EXPECT_FALSE(is_actuator(force(m, "spring")));
  EXPECT_EQ(m.paths.size(), 3);  // pa, spring, schutte
}

TEST(OsimForces, WriterGivesTheSamePartsBack) {
  const Model m = read(model(every_part() + muscle("Millard2012EquilibriumMuscle",
                                                     "<FiberForceLengthCurve><curviness>0.7</curviness>"
                                                     "<stiffness_at_low_force>0.2</stiffness_at_low_force>"
                                                     "<stiffness_at_one_norm_force>3</stiffness_at_one_norm_force>"
                                                     "</FiberForceLengthCurve>"),
                             "<ControllerSet><objects><ControlSetController name=\"ctl\"><actuator_list>aca push"
                             "</actuator_list><controls_file>c.xml</controls_file></ControlSetController>"
                             "<PrescribedController name=\"pc\"><actuator_list>pa</actuator_list><FunctionSet "
                             "name=\"ControlFunctions\"><objects><Constant><value>0.3</value></Constant></objects>"
                             "</FunctionSet></PrescribedController></objects></ControllerSet>\n"));
  const std::string text = io::format_osim(m);
  const Model copy = read(text);
  ASSERT_EQ(copy.forces.size(), m.forces.size());
  for (std::size_t i = 0; i < m.forces.size(); ++i) {
    SCOPED_TRACE(m.forces[i].name);
    EXPECT_EQ(copy.forces[i].name, m.forces[i].name);
    EXPECT_EQ(force_class_name(copy.forces[i]), force_class_name(m.forces[i]));
    EXPECT_EQ(copy.forces[i].applies_force, m.forces[i].applies_force);
    // Function indices differ between the two models; everything else is equal.
    if (std::holds_alternative<PrescribedForce>(m.forces[i].part) ||
        std::holds_alternative<Schutte1993Muscle>(m.forces[i].part))
      continue;
    EXPECT_EQ(copy.forces[i].part, m.forces[i].part);
    EXPECT_EQ(copy.forces[i].path, m.forces[i].path);
  }
  const auto& pf = std::get<PrescribedForce>(force(copy, "pf").part);
  EXPECT_EQ(copy.functions[pf.force_functions[2]].value(2.0), 6.0);
  EXPECT_EQ(copy.functions[std::get<Schutte1993Muscle>(force(copy, "schutte").part).active_force_length_curve].value(1.0),
            1.0);
  ASSERT_EQ(copy.contact_geometry.size(), 2u);
  EXPECT_EQ(copy.contact_geometry[0].radius, 0.03);
  EXPECT_EQ(copy.contact_geometry[0].location, m.contact_geometry[0].location);
  EXPECT_EQ(copy.contact_geometry[1].orientation, m.contact_geometry[1].orientation);
  ASSERT_EQ(copy.controllers.size(), 2u);
  EXPECT_EQ(copy.controllers[0].actuators, m.controllers[0].actuators);
  EXPECT_EQ(std::get<ControlSetController>(copy.controllers[0].part).controls_file, "c.xml");
  const auto& pc = std::get<PrescribedController>(copy.controllers[1].part);
  ASSERT_EQ(pc.control_functions.size(), 1u);
  EXPECT_EQ(copy.functions[pc.control_functions[0]].value(0.0), 0.3);
  // 3.x names are written as OpenSim 4 names them.
  EXPECT_NE(text.find("<CoordinateActuator name=\"old_reserve\">"), std::string::npos);
  // Numbers are written as the shortest text that reads back the same double.
  EXPECT_NE(text.find("<constant_contact_force>2e-05</constant_contact_force>"), std::string::npos)
      << text;
}

TEST(OsimForces, BadValuesOfOtherClassesAreErrorsAtTheirLine) {
  EXPECT_EQ(error_of(model("<PathSpring name=\"s\">" + std::string(kPath) +
                           "\n<resting_length>0.2</resting_length><stiffness>1</stiffness></PathSpring>")),
            "model.osim:25: PathSpring 's': <dissipation> is missing (OpenSim has no default for it)");
  EXPECT_EQ(error_of(model("<CoordinateLimitForce name=\"c\"><coordinate>hip_flexion</coordinate>\n"
                           "<upper_stiffness>ten</upper_stiffness></CoordinateLimitForce>")),
            "model.osim:26: CoordinateLimitForce 'c': <upper_stiffness> is 'ten', not a number");
  EXPECT_EQ(error_of(model("<CoordinateLimitForce name=\"c\"><coordinate>hip_flexion</coordinate>\n"
                           "<transition>0</transition></CoordinateLimitForce>")),
            "model.osim:26: CoordinateLimitForce 'c': <transition> must be positive, got 0");
  EXPECT_EQ(error_of(model("<CoordinateLimitForce name=\"c\"><coordinate>hip_flexion</coordinate>\n"
                           "<upper_limit>-5</upper_limit><lower_limit>5</lower_limit></CoordinateLimitForce>")),
            "model.osim:26: CoordinateLimitForce 'c': <lower_limit> 5 is above <upper_limit> -5");
  EXPECT_EQ(error_of(model("<CoordinateActuator name=\"a\">\n<optimal_force>1</optimal_force></CoordinateActuator>")),
            "model.osim:25: CoordinateActuator 'a': <coordinate> is missing");
  EXPECT_EQ(error_of(model("<PointActuator name=\"p\">\n<body>foot</body></PointActuator>")),
            "model.osim:26: PointActuator 'p': <body> 'foot' names no body of the model");
  EXPECT_EQ(error_of(model("<PointActuator name=\"p\"><body>thigh</body>\n<direction>0 0</direction></PointActuator>")),
            "model.osim:26: PointActuator 'p': <direction> is '0 0', not three numbers");
  EXPECT_EQ(error_of(model("<ExpressionBasedCoordinateForce name=\"e\"><coordinate>hip_flexion</coordinate>\n"
                           "<expression> </expression></ExpressionBasedCoordinateForce>")),
            "model.osim:26: ExpressionBasedCoordinateForce 'e': <expression> is empty");
  EXPECT_EQ(error_of(model("<PrescribedForce name=\"f\"><socket_frame>/bodyset/thigh</socket_frame>\n<FunctionSet "
                           "name=\"forceFunctions\"><objects><Constant/></objects></FunctionSet></PrescribedForce>")),
            "model.osim:26: PrescribedForce 'f': <forceFunctions> has 1 functions; OpenSim needs all three "
            "components or none");
  EXPECT_EQ(error_of(model("<SmoothSphereHalfSpaceForce name=\"c\"><socket_sphere>/contactgeometryset/floor"
                           "</socket_sphere>\n<socket_half_space>floor</socket_half_space></SmoothSphereHalfSpaceForce>")),
            "model.osim:25: SmoothSphereHalfSpaceForce 'c': contact geometry 'floor' is a ContactHalfSpace, not a "
            "ContactSphere");
}

TEST(OsimForces, UnknownForcesAreListedWithTheirXmlAndWrittenBackAsRead) {
  std::vector<std::string> warnings;
  const Model m = read(model(R"(<BushingForce name="bush"><stiffness>10</stiffness></BushingForce>)"), &warnings);
  ASSERT_EQ(m.forces.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(m.forces[0].part));
  EXPECT_FALSE(is_simulated(m.forces[0]));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "model.osim:25: BushingForce 'bush' is not supported, ignored (listed only)");
  const std::string text = io::format_osim(m);
  EXPECT_NE(text.find("<BushingForce name=\"bush\">"), std::string::npos) << text;
  const Model copy = read(text);
  EXPECT_EQ(copy.forces[0].type, "BushingForce");
}

// ---------------------------------------------------------------------------------------
// Wrap objects

std::string with_wrap(const std::string& wrap) {
  std::string s = model("");
  const std::string cyl =
      "<WrapCylinder name=\"cyl\"><translation>0 -0.1 0</translation><radius>0.03</radius><length>0.1</length>"
      "</WrapCylinder>";
  s.replace(s.find(cyl), cyl.size(), wrap);
  return s;
}

TEST(OsimForces, WrapObjectsAreReadWithOpenSimsDefaultsAndSpellings) {
  const Model m = read(with_wrap("<WrapTorus name=\"t\"><quadrant>-Y</quadrant></WrapTorus>"));
  ASSERT_EQ(m.wrap_objects.size(), 1u);
  EXPECT_EQ(m.wrap_objects[0].kind, WrapSurface::Kind::Torus);
  EXPECT_EQ(m.wrap_objects[0].inner_radius, 0.01);
  EXPECT_EQ(m.wrap_objects[0].outer_radius, 0.05);
  EXPECT_EQ(m.wrap_objects[0].quadrant, (WrapQuadrant{1, -1}));
  for (const char* q : {"x", "+x", "X", "+X"})
    EXPECT_EQ(read(with_wrap(std::string("<WrapSphere name=\"s\"><quadrant>") + q + "</quadrant></WrapSphere>"))
                  .wrap_objects[0]
                  .quadrant,
              (WrapQuadrant{0, 1}))
        << q;
  for (const char* q : {"all", "ALL", "All", "Unassigned", ""})
    EXPECT_FALSE(read(with_wrap(std::string("<WrapSphere name=\"s\"><quadrant>") + q + "</quadrant></WrapSphere>"))
                     .wrap_objects[0]
                     .quadrant.constrained())
        << q;
  EXPECT_EQ(read(with_wrap("<WrapSphere name=\"s\"/>")).wrap_objects[0].radius, 1.0);
}

TEST(OsimForces, BadWrapObjectsAreErrorsAtTheirLine) {
  EXPECT_EQ(error_of(with_wrap("<WrapCylinder name=\"w\"><radius>-0.01</radius></WrapCylinder>")),
            "model.osim:9: WrapCylinder 'w': <radius> cannot be less than zero, got -0.01");
  EXPECT_EQ(error_of(with_wrap("<WrapSphere name=\"w\"><radius>abc</radius></WrapSphere>")),
            "model.osim:9: WrapSphere 'w': <radius> is 'abc', not a number");
  EXPECT_EQ(error_of(with_wrap("<WrapEllipsoid name=\"w\"/>")),
            "model.osim:9: WrapEllipsoid 'w': <dimensions> were not specified");
  EXPECT_EQ(error_of(with_wrap("<WrapEllipsoid name=\"w\"><dimensions>0.1 0.2</dimensions></WrapEllipsoid>")),
            "model.osim:9: <dimensions> of 'w': expected 3 numbers, found 2 ('0.1 0.2')");
  EXPECT_EQ(error_of(with_wrap("<WrapEllipsoid name=\"w\"><dimensions>0.1 0 0.2</dimensions></WrapEllipsoid>")),
            "model.osim:9: WrapEllipsoid 'w': <dimensions> must be positive");
  EXPECT_EQ(error_of(with_wrap("<WrapTorus name=\"w\"><inner_radius>0.05</inner_radius><outer_radius>0.04"
                               "</outer_radius></WrapTorus>")),
            "model.osim:9: WrapTorus 'w': <outer_radius> must be greater than <inner_radius>");
  EXPECT_EQ(error_of(with_wrap("<WrapTorus name=\"w\"><inner_radius>0</inner_radius></WrapTorus>")),
            "model.osim:9: WrapTorus 'w': <inner_radius> must be greater than zero, got 0");
  EXPECT_EQ(error_of(with_wrap("<WrapCylinder name=\"w\"><quadrant>+w</quadrant></WrapCylinder>")),
            "model.osim:9: WrapCylinder 'w': unknown quadrant '+w' (expected all, x, +x, -x, y, +y, -y, z, +z or -z)");
}

// ---------------------------------------------------------------------------------------
// Shipped models: forces, contact and controllers wherever OpenSim allows them

TEST(OsimForces, Moco2DGaitKeepsItsForcesInTheModelsComponents) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  std::vector<std::string> warnings;
  const Model m = io::read_osim(test::opensim_file("Moco/example2DWalking/2D_gait.osim"), &warnings);
  std::map<std::string, int> by_type;
  for (const ForceElement& f : m.forces) ++by_type[f.type];
  EXPECT_EQ(by_type["DeGrooteFregly2016Muscle"], 18);
  EXPECT_EQ(by_type["SmoothSphereHalfSpaceForce"], 4);
  EXPECT_EQ(by_type["CoordinateActuator"], 1);
  EXPECT_EQ(m.forces.size(), 23u);
  ASSERT_EQ(m.contact_geometry.size(), 5u);
  int spheres = 0;
  for (const ContactGeometry& g : m.contact_geometry) spheres += g.kind == ContactGeometry::Kind::Sphere;
  EXPECT_EQ(spheres, 4);
  // contactHeel_r: heel_r on calcn_r against the floor, the file's stiffness.
  const auto& heel = std::get<SmoothSphereHalfSpaceForce>(force(m, "contactHeel_r").part);
  EXPECT_EQ(m.contact_geometry[heel.sphere].name, "heel_r");
  EXPECT_EQ(m.bodies[m.contact_geometry[heel.sphere].body].name, "calcn_r");
  EXPECT_EQ(m.contact_geometry[heel.half_space].name, "floor");
  EXPECT_EQ(heel.stiffness, 3067776);
  EXPECT_EQ(heel.transition_velocity, 0.2);
  EXPECT_EQ(std::get<CoordinateActuator>(force(m, "lumbarAct").part).coordinate, m.coordinate_index("lumbar"));
  EXPECT_EQ(m.paths.size(), 18);
  // The four contact forces are named, at their lines, as computed by track/predict only.
  int contact_warnings = 0;
  for (const std::string& w : warnings)
    contact_warnings += w.find("SmoothSphereHalfSpaceForce 'contact") != std::string::npos &&
                        w.find("femur track and predict compute its force") != std::string::npos;
  EXPECT_EQ(contact_warnings, 4);
  EXPECT_NE(std::find(warnings.begin(), warnings.end(),
                      test::opensim_file("Moco/example2DWalking/2D_gait.osim").string() +
                          ":6: SmoothSphereHalfSpaceForce 'contactHeel_r' is read and checked; femur track and "
                          "predict compute its force, forward simulation and the analysis tools leave it out"),
            warnings.end());
}

TEST(OsimForces, ForceSetFilesAddMocosExpressionBasedForces) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  io::OsimReadOptions options;
  options.force_set_files = {
      test::opensim_file("Moco/example3DWalking/subject_walk_scaled_ExpressionBasedCoordinateForceSet.xml")};
  const Model base = io::read_osim(test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim"));
  const Model m = io::read_osim(test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim"), nullptr,
                                nullptr, options);
  ASSERT_GT(m.forces.size(), base.forces.size());
  const auto& e = std::get<ExpressionBasedCoordinateForce>(force(m, "PassiveShoulderDampingX_r").part);
  EXPECT_EQ(m.coordinates[e.coordinate].name, "arm_flex_r");
  EXPECT_EQ(e.expression, "-2.44*exp(5.05*(q-1.81))+1.51*exp(-11.88*(q+0.50))-1.0*qdot");
}

// ---------------------------------------------------------------------------------------
// Broken files (tests/data/bad): each refused at load with the place and the cause.

TEST(OsimForcesErrors, NonNumericMuscleForce) {
  const auto f = bad_file("osim_muscle_force_not_a_number.osim");
  EXPECT_EQ(error_of_file(f),
            f.string() + ":62: Thelen2003Muscle 'glmax1_r': <max_isometric_force> is 'abc', not a number");
}

TEST(OsimForcesErrors, NegativeOptimalFiberLength) {
  const auto f = bad_file("osim_muscle_negative_fiber_length.osim");
  EXPECT_EQ(error_of_file(f),
            f.string() + ":63: Thelen2003Muscle 'glmax1_r': <optimal_fiber_length> must be positive, got -0.142");
}

TEST(OsimForcesErrors, PathPointOnAnUnknownBody) {
  const auto f = bad_file("osim_muscle_point_on_unknown_body.osim");
  EXPECT_EQ(error_of_file(f), f.string() + ":52: PathPoint 'glmax1_r-P2' of 'glmax1_r': <socket_parent_frame> "
                                           "'/bodyset/femur' names no body or frame");
}

TEST(OsimForcesErrors, PathWrapOnAnUnknownWrapObject) {
  const auto f = bad_file("osim_muscle_unknown_wrap_object.osim");
  EXPECT_EQ(error_of_file(f), f.string() + ":61: Thelen2003Muscle 'glmax1_r': wrap object 'femur_cyl' does not exist");
}

// osim_fuzz: a PathWrap <range> of Inf was cast to int (undefined behaviour).
TEST(OsimForcesErrors, PathWrapRangeNotAWholeNumber) {
  const auto f = bad_file("osim_wrap_range_infinite.osim");
  EXPECT_EQ(error_of_file(f), f.string() + ":62: PathWrap of 'glmax1_r': <range> must be two whole numbers from -1 "
                                           "(all points), got '1 Inf'");
}

TEST(OsimForcesErrors, PathSpringWithoutStiffness) {
  const auto f = bad_file("osim_path_spring_missing_stiffness.osim");
  EXPECT_EQ(error_of_file(f),
            f.string() + ":44: PathSpring 'nerve': <stiffness> is missing (OpenSim has no default for it)");
}

TEST(OsimForcesErrors, ActuatorOnAnUnknownCoordinate) {
  const auto f = bad_file("osim_actuator_unknown_coordinate.osim");
  EXPECT_EQ(error_of_file(f),
            f.string() + ":45: CoordinateActuator 'hip_reserve': coordinate 'hip_adduction' does not exist");
}

TEST(OsimForcesErrors, ActuatorBoundsThatAdmitNoControl) {
  const auto f = bad_file("osim_actuator_bad_bounds.osim");
  EXPECT_EQ(error_of_file(f), f.string() + ":46: CoordinateActuator 'hip_reserve': <min_control> 1 and "
                                           "<max_control> -1 leave no admissible control");
}

TEST(OsimForcesErrors, ContactForceOnUnknownGeometry) {
  const auto f = bad_file("osim_contact_unknown_geometry.osim");
  EXPECT_EQ(error_of_file(f),
            f.string() + ":44: SmoothSphereHalfSpaceForce 'contactHeel_r': contact geometry 'heel_r' does not exist");
}

TEST(OsimForcesErrors, ControllerOfAnUnknownActuator) {
  const auto f = bad_file("osim_controller_unknown_actuator.osim");
  EXPECT_EQ(error_of_file(f), f.string() + ":52: ControlSetController 'cmc': actuator 'knee_reserve' does not exist");
}

TEST(OsimForcesErrors, ForceContactGeometryAndControllerWithoutANameAreRefusedAtTheirLine) {
  EXPECT_EQ(error_of(model("<CoordinateActuator><coordinate>hip_flexion</coordinate></CoordinateActuator>")),
            "model.osim:25: a <CoordinateActuator> has no name");
  std::string text = model("");
  text.replace(text.find("<ContactSphere name=\"heel\">"), 27, "<ContactSphere>");
  EXPECT_EQ(error_of(text), "model.osim:21: a <ContactSphere> has no name");
  EXPECT_EQ(error_of(model("", "<ControllerSet><objects><PrescribedController><actuator_list></actuator_list>"
                               "</PrescribedController></objects></ControllerSet>\n")),
            "model.osim:27: a <PrescribedController> has no name");
}

TEST(OsimForcesErrors, TheCommandLineExitsWithOneAndTheMessage) {
  const auto f = bad_file("osim_muscle_force_not_a_number.osim");
  const test::CliRun r = test::run_cli("model info \"" + f.string() + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "femur: error: " + f.string() +
                       ":62: Thelen2003Muscle 'glmax1_r': <max_isometric_force> is 'abc', not a number\n");
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace femur
