// Kinematics, Actuation, BodyKinematics and PointKinematics (see the header for the OpenSim
// files each mirrors).
#include "femur/tools/dynamics_analyses.hpp"

#include <algorithm>
#include <numbers>
#include <stdexcept>

#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/math/spatial.hpp"
#include "femur/muscle/passive_forces.hpp"

namespace femur::tools {

namespace {

constexpr double kDeg = 180.0 / std::numbers::pi;

// Evaluates the full derivative at row r: leaves q, u, udot, controls, actuations, muscle
// states and body velocities in the workspace, and the body accelerations when asked.
void evaluate_row(const SimulationModel& sm, sim::Workspace& ws, const StateRows& rows, int r, Eigen::VectorXd& ydot,
                  bool accelerations, bool path_speeds) {
  const sim::System& S = sm.system;
  sim::state_derivative(S, ws, rows.time[static_cast<size_t>(r)], rows.states[static_cast<size_t>(r)], ydot);
  // The derivative ends with the articulated-body pass; bring the kinematics back to this
  // state (with its accelerations when asked).
  if (accelerations) forward_kinematics(*sm.model, ws.data, ws.q, ws.u, ws.udot);
  else forward_kinematics(*sm.model, ws.data, ws.q, ws.u);
  if (path_speeds && S.paths.size() > 0) {
    compute_path_lengths(*sm.model, S.paths, ws.data, ws.q, ws.path_data);
    compute_path_speeds(*sm.model, S.paths, ws.data, ws.q, ws.u, ws.path_data);
  }
}

io::Table make_table(const std::string& name, const std::vector<std::string>& labels, int rows) {
  io::Table t;
  t.name = name;
  t.labels = labels;
  t.time = Eigen::VectorXd::Zero(rows);
  t.data = Eigen::MatrixXd::Zero(rows, static_cast<Eigen::Index>(labels.size()));
  return t;
}

std::vector<int> selected_coordinates(const Model& model, const std::vector<std::string>& names) {
  std::vector<int> out;
  const bool all = names.empty() || std::any_of(names.begin(), names.end(), [](const std::string& n) {
                     return n == "all" || n == "ALL" || n == "All";
                   });
  if (all) {
    for (int k = 0; k < model.nq; ++k) out.push_back(k);
    return out;
  }
  for (const std::string& n : names) {
    const int k = model.coordinate_index(n);
    if (k < 0) throw std::invalid_argument("<coordinates> names '" + n + "', which is not a coordinate of the model");
    out.push_back(k);
  }
  return out;
}

const char* kActuationComments[] = {
    "",
    "This file contains either the forces, speeds, or powers developed",
    "by the actuators of a model during a simulation.",
    "",
    "An actuator force is a generalized force, meaning that it can be either a force (N) or a torque (Nm).",
    "",
    "An actuator speed is the rate at which an actuator shortens. Depending on the actuator,",
    "a speed can be either a translational speed (m/s) or an angular speed (deg/s or rad/s).",
    "",
    "An actuator power (Watts) is the rate at which an actuator does work.  Positive power means",
    "that the actuator is delivering energy to the model; negative power means that the actuator",
    "is absorbing energy from the model.",
    "",
};

void units_comments(io::Table& t, bool degrees) {
  t.comments.push_back("Units are S.I. units (second, meters, Newtons, ...)");
  t.comments.push_back(degrees ? "Angles are in degrees." : "Angles are in radians.");
  t.comments.push_back("");
}

}  // namespace

std::vector<int> recorded_rows(int first, int last, const io::AnalysisCommon& a) {
  std::vector<int> rows;
  if (!a.on) return rows;
  const int interval = std::max(a.step_interval, 1);
  for (int i = first; i <= last; ++i)
    if (i == first || i == last || i % interval == 0) rows.push_back(i);
  return rows;
}

namespace {

// Kinematics: _q, _u, _dudt of the chosen coordinates, filled row by row from an evaluated
// workspace.
struct KinematicsRecorder {
  const Model& model;
  const io::KinematicsSettings& settings;
  std::vector<int> coords;
  io::Table q, u, a;
  KinematicsRecorder(const Model& m, const io::KinematicsSettings& s, int n) : model(m), settings(s) {
    coords = selected_coordinates(model, settings.coordinates);
    std::vector<std::string> labels;
    for (int k : coords) labels.push_back(model.coordinates[static_cast<size_t>(k)].name);
    q = make_table("Coordinates", labels, n);
    u = make_table("Speeds", labels, n);
    a = make_table("Accelerations", labels, n);
  }
  void record(int i, double time, const sim::Workspace& ws) {
    q.time[i] = u.time[i] = a.time[i] = time;
    for (size_t c = 0; c < coords.size(); ++c) {
      const int k = coords[c];
      const double scale = settings.in_degrees && model.coordinates[static_cast<size_t>(k)].motion_type ==
                                                      MotionType::Rotational
                               ? kDeg
                               : 1.0;
      q.data(i, static_cast<Eigen::Index>(c)) = ws.q[k] * scale;
      u.data(i, static_cast<Eigen::Index>(c)) = ws.u[k] * scale;
      a.data(i, static_cast<Eigen::Index>(c)) = ws.udot[k] * scale;
    }
  }
  std::vector<AnalysisFile> files(const std::string& prefix) {
    for (io::Table* t : {&q, &u, &a}) {
      t->in_degrees = settings.in_degrees;
      t->comments.push_back("");
      units_comments(*t, settings.in_degrees);
    }
    const std::string base = prefix + "_" + settings.name;
    return {{base + "_q.sto", std::move(q)}, {base + "_u.sto", std::move(u)}, {base + "_dudt.sto", std::move(a)}};
  }
};

// Actuation: _force, _speed, _power of every actuator (needs the path speeds).
struct ActuationRecorder {
  const SimulationModel& sm;
  const io::ActuationSettings& settings;
  io::Table force, speed, power;
  ActuationRecorder(const SimulationModel& m, const io::ActuationSettings& s, int n) : sm(m), settings(s) {
    const std::vector<std::string> labels = sm.actuator_names();
    force = make_table("ActuatorForces", labels, n);
    speed = make_table("ActuatorSpeeds", labels, n);
    power = make_table("ActuatorPowers", labels, n);
  }
  void record(int i, double time, const sim::Workspace& ws) {
    force.time[i] = speed.time[i] = power.time[i] = time;
    for (int k = 0; k < static_cast<int>(force.labels.size()); ++k) {
      const double f = ws.actuation[k];
      const double v = actuator_speed(sm, ws, k);
      force.data(i, k) = f;
      speed.data(i, k) = v;
      // Muscle::getPower is the muscle's power -F V (MuscleDynamicsInfo::musclePower); other
      // scalar actuators report F v.
      power.data(i, k) = sm.system.actuators[static_cast<size_t>(k)].muscle >= 0 ? -f * v : f * v;
    }
  }
  std::vector<AnalysisFile> files(const std::string& prefix) {
    for (io::Table* t : {&force, &speed, &power}) {
      for (const char* c : kActuationComments) t->comments.push_back(c);
      units_comments(*t, settings.in_degrees);
    }
    const std::string base = prefix + "_" + settings.name;
    return {{base + "_force.sto", std::move(force)},
            {base + "_speed.sto", std::move(speed)},
            {base + "_power.sto", std::move(power)}};
  }
};

}  // namespace

std::vector<AnalysisFile> kinematics_analysis(const std::string& prefix, const io::KinematicsSettings& settings,
                                              const SimulationModel& sm, sim::Workspace& ws, const StateRows& rows,
                                              const std::vector<int>& record) {
  const int n = static_cast<int>(record.size());
  KinematicsRecorder kin(*sm.model, settings, n);
  Eigen::VectorXd ydot(sm.system.layout.size());
  for (int i = 0; i < n; ++i) {
    const int r = record[static_cast<size_t>(i)];
    evaluate_row(sm, ws, rows, r, ydot, false, false);
    kin.record(i, rows.time[static_cast<size_t>(r)], ws);
  }
  return kin.files(prefix);
}

std::vector<AnalysisFile> actuation_analysis(const std::string& prefix, const io::ActuationSettings& settings,
                                             const SimulationModel& sm, sim::Workspace& ws, const StateRows& rows,
                                             const std::vector<int>& record) {
  const int n = static_cast<int>(record.size());
  ActuationRecorder act(sm, settings, n);
  Eigen::VectorXd ydot(sm.system.layout.size());
  for (int i = 0; i < n; ++i) {
    const int r = record[static_cast<size_t>(i)];
    evaluate_row(sm, ws, rows, r, ydot, false, true);
    act.record(i, rows.time[static_cast<size_t>(r)], ws);
  }
  return act.files(prefix);
}

KinematicsAndActuationFiles kinematics_and_actuation_analyses(const std::string& prefix,
                                                              const io::KinematicsSettings& kinematics,
                                                              const io::ActuationSettings& actuation,
                                                              const SimulationModel& sm, sim::Workspace& ws,
                                                              const StateRows& rows, const std::vector<int>& record) {
  const int n = static_cast<int>(record.size());
  KinematicsRecorder kin(*sm.model, kinematics, n);
  ActuationRecorder act(sm, actuation, n);
  Eigen::VectorXd ydot(sm.system.layout.size());
  for (int i = 0; i < n; ++i) {
    const int r = record[static_cast<size_t>(i)];
    evaluate_row(sm, ws, rows, r, ydot, false, true);
    kin.record(i, rows.time[static_cast<size_t>(r)], ws);
    act.record(i, rows.time[static_cast<size_t>(r)], ws);
  }
  return {kin.files(prefix), act.files(prefix)};
}

std::vector<AnalysisFile> body_kinematics_analysis(const std::string& prefix,
                                                   const io::BodyKinematicsSettings& settings,
                                                   const SimulationModel& sm, sim::Workspace& ws,
                                                   const StateRows& rows, const std::vector<int>& record) {
  const Model& model = *sm.model;
  // BodyKinematics::setBodiesToRecord: "all" is every body (ground included) and the whole
  // body's centre of mass; otherwise the listed bodies, and center_of_mass if listed.
  std::vector<int> bodies;
  bool com = false;
  for (const std::string& b : settings.bodies) {
    if (b == "all" || b == "ALL" || b == "All") {
      bodies.clear();
      for (int i = 0; i < static_cast<int>(model.bodies.size()); ++i) bodies.push_back(i);
      com = true;
      break;
    }
    if (b == "center_of_mass") {
      com = true;
      continue;
    }
    const int i = model.body_index(b);
    if (i < 0) throw std::invalid_argument("<bodies> names '" + b + "', which is not a body of the model");
    bodies.push_back(i);
  }
  std::vector<std::string> labels;
  for (int b : bodies)
    for (const char* s : {"_X", "_Y", "_Z", "_Ox", "_Oy", "_Oz"}) labels.push_back(model.bodies[static_cast<size_t>(b)].name + s);
  if (com)
    for (const char* s : {"_X", "_Y", "_Z"}) labels.push_back(std::string("center_of_mass") + s);
  const int n = static_cast<int>(record.size());
  io::Table pos = make_table("Positions", labels, n), vel = make_table("Velocities", labels, n),
            acc = make_table("Accelerations", labels, n);
  const double scale = settings.in_degrees ? kDeg : 1.0;
  const bool local = settings.express_results_in_body_local_frame;
  double total_mass = 0.0;
  for (const Body& b : model.bodies) total_mass += b.mass;
  Eigen::VectorXd ydot(sm.system.layout.size());
  for (int i = 0; i < n; ++i) {
    const int r = record[static_cast<size_t>(i)];
    evaluate_row(sm, ws, rows, r, ydot, true, false);
    pos.time[i] = vel.time[i] = acc.time[i] = rows.time[static_cast<size_t>(r)];
    Eigen::Index c = 0;
    for (int b : bodies) {
      const Body& body = model.bodies[static_cast<size_t>(b)];
      Vec3 p = Vec3::Zero(), v = Vec3::Zero(), a = Vec3::Zero(), angles = Vec3::Zero(), w = Vec3::Zero(),
           al = Vec3::Zero();
      if (b > 0) {
        const Mat3 R = body_pose(model, ws.data, b).R;
        p = point_in_ground(model, ws.data, b, body.com_in_body);
        v = point_velocity(model, ws.data, b, body.com_in_body);
        a = point_acceleration(model, ws.data, b, body.com_in_body);
        angles = body_fixed_xyz_angles(R);
        w = body_angular_velocity(ws.data, b);
        al = body_angular_acceleration(ws.data, b);
        if (local) {
          w = R.transpose() * w;
          al = R.transpose() * al;
        }
      }
      pos.data.row(i).segment<3>(c) = p;
      pos.data.row(i).segment<3>(c + 3) = angles * scale;
      vel.data.row(i).segment<3>(c) = v;
      vel.data.row(i).segment<3>(c + 3) = w * scale;
      acc.data.row(i).segment<3>(c) = a;
      acc.data.row(i).segment<3>(c + 3) = al * scale;
      c += 6;
    }
    if (com) {
      Vec3 p = Vec3::Zero(), v = Vec3::Zero(), a = Vec3::Zero();
      for (size_t b = 1; b < model.bodies.size(); ++b) {
        const Body& body = model.bodies[b];
        const int bi = static_cast<int>(b);
        p += body.mass * point_in_ground(model, ws.data, bi, body.com_in_body);
        v += body.mass * point_velocity(model, ws.data, bi, body.com_in_body);
        a += body.mass * point_acceleration(model, ws.data, bi, body.com_in_body);
      }
      if (total_mass > 0) {
        pos.data.row(i).segment<3>(c) = p / total_mass;
        vel.data.row(i).segment<3>(c) = v / total_mass;
        acc.data.row(i).segment<3>(c) = a / total_mass;
      }
    }
  }
  for (io::Table* t : {&pos, &vel, &acc}) {
    t->comments = {"",
                   "This file contains the kinematics (positions and orientations,",
                   "velocities and angular velocities, or accelerations and angular accelerations)",
                   "of the centers of mass of the body segments in model " + model.name + ".",
                   "",
                   "Body segment orientations are described using body-fixed X-Y-Z Euler angles.",
                   "",
                   local ? "Angular velocities and accelerations are given about the body-local axes."
                         : "Angular velocities and accelerations are given about the global axes.",
                   ""};
    units_comments(*t, settings.in_degrees);
    t->comments.back() = "";
  }
  // BodyKinematics writes its angles in degrees but says inDegrees=no in the header.
  const std::string base = prefix + "_" + settings.name;
  const std::string frame = local ? "bodyLocal" : "global";
  return {{base + "_pos_" + frame + ".sto", std::move(pos)},
          {base + "_vel_" + frame + ".sto", std::move(vel)},
          {base + "_acc_" + frame + ".sto", std::move(acc)}};
}

std::vector<AnalysisFile> point_kinematics_analysis(const std::string& prefix,
                                                    const io::PointKinematicsSettings& settings,
                                                    const SimulationModel& sm, sim::Workspace& ws,
                                                    const StateRows& rows, const std::vector<int>& record) {
  const Model& model = *sm.model;
  const int body = model.body_index(settings.body_name);
  if (body < 0)
    throw std::invalid_argument("<body_name> '" + settings.body_name + "' is not a body of the model");
  int relative = -1;
  if (settings.relative_to_body_name != "none" && !settings.relative_to_body_name.empty()) {
    relative = model.body_index(settings.relative_to_body_name);
    if (relative < 0)
      throw std::invalid_argument("<relative_to_body_name> '" + settings.relative_to_body_name +
                                  "' is not a body of the model");
  }
  const Vec3 point(settings.point[0], settings.point[1], settings.point[2]);
  const std::vector<std::string> labels = {settings.point_name + "_X", settings.point_name + "_Y",
                                           settings.point_name + "_Z"};
  const int n = static_cast<int>(record.size());
  io::Table pos = make_table("Positions", labels, n), vel = make_table("Velocities", labels, n),
            acc = make_table("Accelerations", labels, n);
  Eigen::VectorXd ydot(sm.system.layout.size());
  for (int i = 0; i < n; ++i) {
    const int r = record[static_cast<size_t>(i)];
    evaluate_row(sm, ws, rows, r, ydot, true, false);
    pos.time[i] = vel.time[i] = acc.time[i] = rows.time[static_cast<size_t>(r)];
    Vec3 p = body > 0 ? point_in_ground(model, ws.data, body, point) : point;
    Vec3 v = body > 0 ? point_velocity(model, ws.data, body, point) : Vec3::Zero();
    Vec3 a = body > 0 ? point_acceleration(model, ws.data, body, point) : Vec3::Zero();
    // PointKinematics::record: the position in the other body's frame, velocity and
    // acceleration re-expressed (rotated) into it.
    if (relative > 0) {
      const Transform X = body_pose(model, ws.data, relative);
      p = X.apply_inverse(p);
      v = X.R.transpose() * v;
      a = X.R.transpose() * a;
    }
    pos.data.row(i) = p.transpose();
    vel.data.row(i) = v.transpose();
    acc.data.row(i) = a.transpose();
  }
  for (io::Table* t : {&pos, &vel, &acc}) {
    t->comments.push_back("");
    units_comments(*t, settings.in_degrees);
  }
  const std::string base = prefix + "_" + settings.name + "_" + settings.point_name;
  return {{base + "_pos.sto", std::move(pos)}, {base + "_vel.sto", std::move(vel)}, {base + "_acc.sto", std::move(acc)}};
}

namespace {

// One recorded quantity of the ForceReporter (see the header).
struct RecordedForce {
  enum class Kind { actuator, limit_force, limit_energy, generalized_spring, path_spring };
  Kind kind = Kind::actuator;
  int index = -1;  // actuator index, or index into the PassiveForceSet's list of its kind
};

template <class Spec>
int spec_of_force(const std::vector<Spec>& specs, int force) {
  for (size_t i = 0; i < specs.size(); ++i)
    if (specs[i].force == force) return static_cast<int>(i);
  return -1;
}

}  // namespace

std::vector<AnalysisFile> force_reporter_analysis(const std::string& prefix, const io::ForceReporterSettings& settings,
                                                  const SimulationModel& sm, sim::Workspace& ws, const StateRows& rows,
                                                  const std::vector<int>& record) {
  const Model& model = *sm.model;
  const sim::System& S = sm.system;
  if (settings.include_constraint_forces && (!model.couplers.empty() || !model.other_constraints.empty()))
    throw std::invalid_argument("ForceReporter '" + settings.name +
                                "': <include_constraint_forces> is not supported by femur yet for a model with "
                                "constraints; set it to false");
  std::vector<int> actuator_of(model.forces.size(), -1);
  for (int k = 0; k < S.actuator_count(); ++k) actuator_of[static_cast<size_t>(S.actuators[static_cast<size_t>(k)].force)] = k;
  std::vector<std::string> labels;
  std::vector<RecordedForce> recorded;
  using Kind = RecordedForce::Kind;
  for (size_t i = 0; i < model.forces.size(); ++i) {
    const ForceElement& f = model.forces[i];
    if (!f.applies_force) continue;  // ForceReporter skips disabled forces
    const int force = static_cast<int>(i);
    if (actuator_of[i] >= 0) {  // ScalarActuator: name, getActuation
      labels.push_back(f.name);
      recorded.push_back({Kind::actuator, actuator_of[i]});
    } else if (const int c = spec_of_force(S.passive.coordinate_limits, force); c >= 0) {
      labels.push_back(f.name);  // CoordinateLimitForce: calcLimitForce, computePotentialEnergy
      labels.push_back("PotentialEnergy");
      recorded.push_back({Kind::limit_force, c});
      recorded.push_back({Kind::limit_energy, c});
    } else if (const int g = spec_of_force(S.passive.generalized_springs, force); g >= 0) {
      labels.push_back(f.name + "_Force");  // SpringGeneralizedForce: computeForceMagnitude
      recorded.push_back({Kind::generalized_spring, g});
    } else if (const int p = spec_of_force(S.passive.path_springs, force); p >= 0) {
      labels.push_back(f.name);  // PathSpring: getTension
      recorded.push_back({Kind::path_spring, p});
    } else {
      throw std::invalid_argument("ForceReporter '" + settings.name + "': femur does not record the " + f.type +
                                  " '" + f.name + "' yet");
    }
  }
  const int model_columns = static_cast<int>(labels.size());
  if (sm.has_loads) {
    // ExternalForce::getRecordLabels: force, point (when given), torque of each load.
    for (const BoundExternalForce& e : sm.loads.forces) {
      const std::string base = model.bodies[static_cast<size_t>(e.applied_to_body)].name + "_" + e.name + "_";
      if (e.force_column >= 0) {
        for (const char* x : {"Fx", "Fy", "Fz"}) labels.push_back(base + x);
        if (e.point_column >= 0)
          for (const char* x : {"px", "py", "pz"}) labels.push_back(base + x);
      }
      if (e.torque_column >= 0)
        for (const char* x : {"Tx", "Ty", "Tz"}) labels.push_back(base + x);
    }
  }
  const int n = static_cast<int>(record.size());
  io::Table out = make_table("ModelForces", labels, n);
  Eigen::VectorXd ydot(S.layout.size()), values(std::max(sm.has_loads ? sm.loads.columns() : 0, 1));
  for (int i = 0; i < n; ++i) {
    const int r = record[static_cast<size_t>(i)];
    evaluate_row(sm, ws, rows, r, ydot, false, true);
    const double t = rows.time[static_cast<size_t>(r)];
    out.time[i] = t;
    for (int c = 0; c < model_columns; ++c) {
      const RecordedForce& rf = recorded[static_cast<size_t>(c)];
      const size_t k = static_cast<size_t>(rf.index);
      double v = 0.0;
      switch (rf.kind) {
        case Kind::actuator: v = ws.actuation[rf.index]; break;
        case Kind::limit_force: {
          const CoordinateLimitSpec& spec = S.passive.coordinate_limits[k];
          v = coordinate_limit_force(spec, ws.q[spec.coordinate], ws.u[spec.coordinate]);
          break;
        }
        case Kind::limit_energy: {
          const CoordinateLimitSpec& spec = S.passive.coordinate_limits[k];
          v = coordinate_limit_potential_energy(spec, ws.q[spec.coordinate]);
          break;
        }
        case Kind::generalized_spring: {
          const GeneralizedSpringSpec& spec = S.passive.generalized_springs[k];
          v = -spec.stiffness * (ws.q[spec.coordinate] - spec.rest_length) - spec.viscosity * ws.u[spec.coordinate];
          break;
        }
        case Kind::path_spring: {
          const PathSpringSpec& spec = S.passive.path_springs[k];
          v = path_spring_tension(spec, ws.path_data.length[spec.path], ws.path_data.speed[spec.path]);
          break;
        }
      }
      out.data(i, c) = v;
    }
    if (sm.has_loads && !sm.loads.forces.empty()) {
      // ExternalForce::getRecordValues: force and torque in ground, the point in the body it
      // acts on.
      sm.loads.evaluate(t, values);
      Eigen::Index c = model_columns;
      for (const BoundExternalForce& e : sm.loads.forces) {
        const Transform X_ground_fb = body_pose(model, ws.data, e.force_expressed_in_body);
        if (e.force_column >= 0) {
          out.data.block<1, 3>(i, c) = (X_ground_fb.R * values.segment<3>(e.force_column)).transpose();
          c += 3;
          if (e.point_column >= 0) {
            const Vec3 p_ground = body_pose(model, ws.data, e.point_expressed_in_body).apply(values.segment<3>(e.point_column));
            out.data.block<1, 3>(i, c) = body_pose(model, ws.data, e.applied_to_body).apply_inverse(p_ground).transpose();
            c += 3;
          }
        }
        if (e.torque_column >= 0) {
          out.data.block<1, 3>(i, c) = (X_ground_fb.R * values.segment<3>(e.torque_column)).transpose();
          c += 3;
        }
      }
    }
  }
  // ForceReporter::constructDescription.
  out.comments = {"",
                  "This file contains the forces exerted on a model during a simulation.",
                  "",
                  "A force is a generalized force, meaning that it can be either a force (N) or a torque (Nm).",
                  ""};
  units_comments(out, settings.in_degrees);
  out.in_degrees = settings.in_degrees;
  return {{prefix + "_" + settings.name + "_forces.sto", std::move(out)}};
}

}  // namespace femur::tools
