// femur.Model: a model read from an .osim file (or femur's own hip model), its parts as
// read-only properties, and the single-frame algorithms (kinematics, Jacobians, RNEA, ABA,
// CRBA, path lengths and moment arms) on numpy arrays. Each call checks sizes, copies its
// inputs into the Model's workspace, releases the GIL for the computation and returns a new
// array (a copy: the workspace is reused by the next call).
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "bindings.hpp"
#include "femur/dynamics/aba.hpp"
#include "femur/dynamics/crba.hpp"
#include "femur/dynamics/rnea.hpp"
#include "femur/hip/hip_model.hpp"
#include "femur/io/osim_reader.hpp"
#include "femur/io/osim_writer.hpp"
#include "femur/kinematics/forward_kinematics.hpp"
#include "femur/kinematics/jacobian.hpp"

namespace femur::python {

Workspace::Workspace(const Model& model)
    : data(model),
      paths(model, model.paths),
      q(Eigen::VectorXd::Zero(model.nq)),
      v(Eigen::VectorXd::Zero(model.nv)),
      a(Eigen::VectorXd::Zero(model.nv)),
      J3(3, model.nv),
      J6(6, model.nv) {}

PyModel::PyModel(std::shared_ptr<const Model> m) : model(std::move(m)), ws(std::make_unique<Workspace>(*model)) {}

int body_index(const Model& model, const NameOrIndex& body) {
  if (const int* i = std::get_if<int>(&body)) {
    if (*i < 0 || *i >= static_cast<int>(model.bodies.size()))
      throw py::index_error("body index " + std::to_string(*i) + " out of range (model has " +
                            std::to_string(model.bodies.size()) + " bodies, ground = 0)");
    return *i;
  }
  const std::string& name = std::get<std::string>(body);
  const int i = model.body_index(name);
  if (i < 0) throw py::key_error("model " + model.name + " has no body '" + name + "'");
  return i;
}

void copy_checked(const VectorIn& v, Eigen::VectorXd& out, const char* name) {
  if (v.size() != out.size())
    throw std::invalid_argument(std::string(name) + " has " + std::to_string(v.size()) + " values, the model needs " +
                                std::to_string(out.size()));
  out = v;
}

namespace {

// What a muscle is, for Model.muscles.
struct MuscleInfo {
  std::string name, type;
  double max_isometric_force = 0, optimal_fiber_length = 0, tendon_slack_length = 0, pennation_angle_at_optimal = 0;
  int path = -1;  // index into Model.path_names
  std::string file;
  int line = 0;
};

std::vector<MuscleInfo> muscles_of(const Model& model) {
  std::vector<MuscleInfo> out;
  for (size_t f = 0; f < model.forces.size(); ++f) {
    const ForceElement& e = model.forces[f];
    if (!is_muscle(e)) continue;
    MuscleInfo m;
    m.name = e.name;
    m.type = force_class_name(e);
    if (const auto* p = std::get_if<MuscleParameters>(&e.part)) {
      m.max_isometric_force = p->max_isometric_force;
      m.optimal_fiber_length = p->optimal_fiber_length;
      m.tendon_slack_length = p->tendon_slack_length;
      m.pennation_angle_at_optimal = p->pennation_angle_at_optimal;
    } else if (const auto* s = std::get_if<Schutte1993Muscle>(&e.part)) {
      m.max_isometric_force = s->max_isometric_force;
      m.optimal_fiber_length = s->optimal_fiber_length;
      m.tendon_slack_length = s->tendon_slack_length;
      m.pennation_angle_at_optimal = s->pennation_angle_at_optimal;
    }
    for (size_t p = 0; p < model.paths.paths.size(); ++p)
      if (model.paths.paths[p].force == static_cast<int>(f)) m.path = static_cast<int>(p);
    m.file = e.file;
    m.line = e.line;
    out.push_back(std::move(m));
  }
  return out;
}

Eigen::Matrix4d homogeneous(const Transform& X) {
  Eigen::Matrix4d T = Eigen::Matrix4d::Identity();
  T.topLeftCorner<3, 3>() = X.R;
  T.topRightCorner<3, 1>() = X.p;
  return T;
}

// Runs f on the Model's workspace without the GIL. The mutex is taken after the GIL is
// released (and let go before it is taken back), so a thread waiting for the workspace never
// holds the GIL that the thread using it needs to return. f must not touch Python objects.
template <class F>
auto with_workspace(PyModel& self, F&& f) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(self.ws->mutex);
  return f(*self.ws);
}

// The dynamics calls on (q, qdot, x): the three copied into the workspace (sizes checked, no
// allocation), no applied forces, then `algorithm(model, data, q, v, x)`.
template <class Algorithm>
Eigen::VectorXd dynamics(PyModel& s, const VectorIn& q, const VectorIn& qdot, const VectorIn& x, const char* x_name,
                         Algorithm algorithm) {
  return with_workspace(s, [&](Workspace& w) {
    copy_checked(q, w.q, "q");
    copy_checked(qdot, w.v, "qdot");
    copy_checked(x, w.a, x_name);
    clear_applied_forces(w.data);
    return Eigen::VectorXd(algorithm(s.get(), w.data, w.q, w.v, w.a));
  });
}

}  // namespace

void bind_model(py::module_& m) {
  py::enum_<MotionType>(m, "MotionType", "How a coordinate moves its joint.\n\nExample:\n    >>> m.coordinates[0].motion_type == femur.MotionType.Rotational")
      .value("Rotational", MotionType::Rotational)
      .value("Translational", MotionType::Translational)
      .value("Coupled", MotionType::Coupled);

  py::class_<Coordinate>(m, "Coordinate", "A generalized coordinate (radians or metres), as read from the model.\n\n"
                                     "Example:\n    >>> [c.name for c in m.coordinates if c.locked]")
      .def_readonly("name", &Coordinate::name)
      .def_readonly("motion_type", &Coordinate::motion_type)
      .def_readonly("default_value", &Coordinate::default_value)
      .def_readonly("default_speed", &Coordinate::default_speed)
      .def_readonly("range_min", &Coordinate::range_min)
      .def_readonly("range_max", &Coordinate::range_max)
      .def_readonly("clamped", &Coordinate::clamped)
      .def_readonly("locked", &Coordinate::locked)
      .def_readonly("joint", &Coordinate::joint)
      .def("__repr__", [](const Coordinate& c) { return "<femur.Coordinate " + c.name + ">"; });

  py::class_<Body>(m, "Body", "A rigid body: mass (kg), centre of mass and inertia about it in the body frame.\n\n"
                               "Example:\n    >>> sum(b.mass for b in m.bodies)")
      .def_readonly("name", &Body::name)
      .def_readonly("mass", &Body::mass)
      .def_readonly("com_in_body", &Body::com_in_body)
      .def_readonly("inertia_about_com", &Body::inertia_about_com)
      .def_readonly("parent", &Body::parent, "parent body index (-1 for ground)")
      .def("__repr__", [](const Body& b) { return "<femur.Body " + b.name + ">"; });

  py::class_<MuscleInfo>(m, "Muscle", "A muscle of the model: its class and main parameters (N, m, rad).\n\n"
                                     "Example:\n    >>> {mu.name: mu.max_isometric_force for mu in m.muscles}")
      .def_readonly("name", &MuscleInfo::name)
      .def_readonly("type", &MuscleInfo::type)
      .def_readonly("max_isometric_force", &MuscleInfo::max_isometric_force)
      .def_readonly("optimal_fiber_length", &MuscleInfo::optimal_fiber_length)
      .def_readonly("tendon_slack_length", &MuscleInfo::tendon_slack_length)
      .def_readonly("pennation_angle_at_optimal", &MuscleInfo::pennation_angle_at_optimal)
      .def_readonly("path", &MuscleInfo::path, "index into Model.path_names (-1: no geometry path)")
      .def_readonly("file", &MuscleInfo::file)
      .def_readonly("line", &MuscleInfo::line)
      .def("__repr__", [](const MuscleInfo& mi) { return "<femur.Muscle " + mi.name + " (" + mi.type + ")>"; });

  py::class_<PyModel, std::shared_ptr<PyModel>>(m, "Model", R"doc(
A musculoskeletal model read from an OpenSim .osim file (3.x or 4.x). Immutable; share one
Model between threads. Arrays are float64; q, qdot, qddot and tau have Model.nq entries
(radians and metres, model coordinate order).

Example:
    >>> m = femur.Model("gait2392_simbody.osim")
    >>> tau = m.rnea(m.default_q(), np.zeros(m.nv), np.zeros(m.nv))
)doc")
      .def(py::init([](const std::filesystem::path& path, std::vector<std::filesystem::path> force_set_files,
                       bool replace_force_set) {
             std::vector<std::string> warnings;
             std::shared_ptr<const Model> model;
             {
               py::gil_scoped_release release;
               io::OsimReadOptions options;
               options.force_set_files = std::move(force_set_files);
               options.replace_force_set = replace_force_set;
               model = std::make_shared<const Model>(io::read_osim(path, &warnings, nullptr, options));
             }
             auto self = std::make_shared<PyModel>(model);
             self->warnings = std::move(warnings);
             return self;
           }),
           py::arg("path"), py::arg("force_set_files") = std::vector<std::filesystem::path>{},
           py::arg("replace_force_set") = false,
           "Reads an .osim file, plus <ForceSet> files (reserve and residual actuators) appended to\n"
           "its forces (or replacing them), as a tool's force_set_files. A bad file raises\n"
           "femur.ParseError naming file:line.")
      .def_property_readonly("name", [](const PyModel& s) { return s.get().name; })
      .def_property_readonly("source_file", [](const PyModel& s) { return s.get().source_file; })
      .def_property_readonly("nq", [](const PyModel& s) { return s.get().nq; })
      .def_property_readonly("nv", [](const PyModel& s) { return s.get().nv; })
      .def_property_readonly("gravity", [](const PyModel& s) { return Eigen::Vector3d(s.get().gravity); })
      .def_property_readonly("warnings", [](const PyModel& s) { return s.warnings; })
      .def_property_readonly("coordinates", [](const PyModel& s) { return s.get().coordinates; },
                             "list[Coordinate], model order (the order of q)")
      .def_property_readonly("bodies", [](const PyModel& s) { return s.get().bodies; },
                             "list[Body], ground first, parents before children")
      .def_property_readonly("muscles", [](const PyModel& s) { return muscles_of(s.get()); },
                             "list[Muscle], force-set order")
      .def_property_readonly("coordinate_names",
                             [](const PyModel& s) {
                               std::vector<std::string> n;
                               for (const auto& c : s.get().coordinates) n.push_back(c.name);
                               return n;
                             })
      .def_property_readonly("body_names",
                             [](const PyModel& s) {
                               std::vector<std::string> n;
                               for (const auto& b : s.get().bodies) n.push_back(b.name);
                               return n;
                             })
      .def_property_readonly("muscle_names",
                             [](const PyModel& s) {
                               std::vector<std::string> n;
                               for (const auto& f : s.get().forces)
                                 if (is_muscle(f)) n.push_back(f.name);
                               return n;
                             })
      .def_property_readonly("marker_names",
                             [](const PyModel& s) {
                               std::vector<std::string> n;
                               for (const auto& mk : s.get().markers) n.push_back(mk.name);
                               return n;
                             })
      .def_property_readonly("path_names",
                             [](const PyModel& s) {
                               std::vector<std::string> n;
                               for (const auto& p : s.get().paths.paths) n.push_back(p.name);
                               return n;
                             },
                             "names of the forces with a geometry path (rows of path_lengths, moment_arms)")
      .def("coordinate_index", [](const PyModel& s, const std::string& n) { return s.get().coordinate_index(n); },
           py::arg("name"), "Index of a coordinate in q, -1 if absent.\n\nExample:\n    >>> q[m.coordinate_index(\"knee_angle_r\")] = -1.0")
      .def("body_index", [](const PyModel& s, const std::string& n) { return s.get().body_index(n); },
           py::arg("name"), "Index of a body, -1 if absent.\n\nExample:\n    >>> m.forward_kinematics(q)[m.body_index(\"pelvis\")]")
      .def("default_q", [](const PyModel& s) { return s.get().default_q(); },
           "Coordinate default values (nq,).\n\nExample:\n    >>> q = m.default_q()")
      .def(
          "forward_kinematics",
          [](PyModel& s, const VectorIn& q) {
            const Model& model = s.get();
            py::array_t<double> out({static_cast<py::ssize_t>(model.bodies.size()), py::ssize_t{4}, py::ssize_t{4}});
            auto o = out.mutable_unchecked<3>();
            with_workspace(s, [&](Workspace& w) {
              copy_checked(q, w.q, "q");
              forward_kinematics(model, w.data, w.q);
              for (size_t b = 0; b < model.bodies.size(); ++b) {
                const Eigen::Matrix4d T = homogeneous(body_pose(model, w.data, static_cast<int>(b)));
                for (int i = 0; i < 4; ++i)
                  for (int j = 0; j < 4; ++j) o(b, i, j) = T(i, j);
              }
              return 0;
            });
            return out;
          },
          py::arg("q"), R"doc(Pose of every body frame in ground: (nbodies, 4, 4) homogeneous transforms.

Example:
    >>> T = m.forward_kinematics(m.default_q()); T[m.body_index("femur_r"), :3, 3]  # origin, m)doc")
      .def(
          "marker_positions",
          [](PyModel& s, const VectorIn& q) {
            const Model& model = s.get();
            Matrix3X x(3, model.markers.size());
            with_workspace(s, [&](Workspace& w) {
              copy_checked(q, w.q, "q");
              forward_kinematics(model, w.data, w.q);
              marker_positions(model, w.data, x);
              return 0;
            });
            return RowMatrix(x.transpose());
          },
          py::arg("q"), "Model markers in ground, (nmarkers, 3) m.\n\nExample:\n    >>> m.marker_positions(m.default_q())")
      .def(
          "point_jacobian",
          [](PyModel& s, const VectorIn& q, const NameOrIndex& body, const Eigen::Vector3d& point) {
            const Model& model = s.get();
            const int b = body_index(model, body);
            return with_workspace(s, [&](Workspace& w) {
              copy_checked(q, w.q, "q");
              compute_joint_jacobians(model, w.data, w.q);
              point_jacobian(model, w.data, b, point, w.J3);
              return Eigen::MatrixXd(w.J3);
            });
          },
          py::arg("q"), py::arg("body"), py::arg("point") = Eigen::Vector3d::Zero(),
          "3 x nv Jacobian of a body-fixed point (body frame, m) in ground.\n\nExample:\n"
          "    >>> J = m.point_jacobian(q, \"tibia_r\", [0, -0.4, 0])")
      .def(
          "frame_jacobian",
          [](PyModel& s, const VectorIn& q, const NameOrIndex& body, const Eigen::Vector3d& point) {
            const Model& model = s.get();
            const int b = body_index(model, body);
            return with_workspace(s, [&](Workspace& w) {
              copy_checked(q, w.q, "q");
              compute_joint_jacobians(model, w.data, w.q);
              frame_jacobian(model, w.data, b, point, w.J6);
              return Eigen::MatrixXd(w.J6);
            });
          },
          py::arg("q"), py::arg("body"), py::arg("point") = Eigen::Vector3d::Zero(),
          "6 x nv Jacobian of a body frame: rows 0-2 angular velocity, 3-5 the velocity of `point`, in ground."
          "\n\nExample:\n    >>> J = m.frame_jacobian(q, \"pelvis\")")
      .def(
          "rnea",
          [](PyModel& s, const VectorIn& q, const VectorIn& qdot, const VectorIn& qddot) {
            return dynamics(s, q, qdot, qddot, "qddot", [](const Model& m, Data& d, const auto&... x) -> const auto& {
              return rnea(m, d, x...);
            });
          },
          py::arg("q"), py::arg("qdot"), py::arg("qddot"),
          "Inverse dynamics (recursive Newton-Euler, gravity included, no external loads): tau (nv,).\n\n"
          "Example:\n    >>> tau = m.rnea(q, np.zeros(m.nv), np.zeros(m.nv))  # holding torques")
      .def(
          "aba",
          [](PyModel& s, const VectorIn& q, const VectorIn& qdot, const VectorIn& tau) {
            return dynamics(s, q, qdot, tau, "tau", [](const Model& m, Data& d, const auto&... x) -> const auto& {
              return aba(m, d, x...);
            });
          },
          py::arg("q"), py::arg("qdot"), py::arg("tau"),
          "Forward dynamics (articulated-body algorithm, couplers not enforced): qddot (nv,).\n\n"
          "Example:\n    >>> qddot = m.aba(q, qdot, tau)")
      .def(
          "mass_matrix",
          [](PyModel& s, const VectorIn& q) {
            const Model& model = s.get();
            return with_workspace(s, [&](Workspace& w) {
              copy_checked(q, w.q, "q");
              return Eigen::MatrixXd(crba(model, w.data, w.q));
            });
          },
          py::arg("q"), "Joint-space mass matrix M(q) (nv, nv), composite-rigid-body algorithm.\n\n"
                        "Example:\n    >>> M = m.mass_matrix(m.default_q())")
      .def(
          "path_lengths",
          [](PyModel& s, const VectorIn& q) {
            const Model& model = s.get();
            return with_workspace(s, [&](Workspace& w) {
              copy_checked(q, w.q, "q");
              forward_kinematics(model, w.data, w.q);
              compute_path_lengths(model, model.paths, w.data, w.q, w.paths);
              return Eigen::VectorXd(w.paths.length);
            });
          },
          py::arg("q"), "Length of every geometry path (Model.path_names order), m, wrapping included.\n\n"
                        "Example:\n    >>> L = m.path_lengths(q)")
      .def(
          "moment_arms",
          [](PyModel& s, const VectorIn& q) {
            const Model& model = s.get();
            return with_workspace(s, [&](Workspace& w) {
              copy_checked(q, w.q, "q");
              compute_paths(model, model.paths, w.data, w.q, w.paths);
              return RowMatrix(w.paths.moment_arm);
            });
          },
          py::arg("q"), "Moment arms (npaths, nq) as OpenSim's MomentArmSolver (r = -dL/dq), m.\n\n"
                        "Example:\n    >>> r = m.moment_arms(q)[m.path_names.index(\"glut_med1_r\")]")
      .def(
          "write",
          [](const PyModel& s, const std::filesystem::path& path) {
            py::gil_scoped_release release;
            io::write_osim(s.get(), path);
          },
          py::arg("path"), "Writes the model as an .osim file (atomically).\n\nExample:\n    >>> femur.scale_model(m, {\"pelvis\": (1.1, 1.1, 1.1)}).write(\"scaled.osim\")")
      .def("__repr__", [](const PyModel& s) {
        return "<femur.Model " + s.get().name + ": " + std::to_string(s.get().nq) + " coordinates, " +
               std::to_string(s.get().bodies.size()) + " bodies>";
      });

  // For the call-overhead benchmark (python/tests/test_overhead.py): the C++ time of one
  // Model.rnea computation, the same work without the Python call, averaged over n calls.
  m.def(
      "_rnea_seconds",
      [](PyModel& s, const VectorIn& q, const VectorIn& qdot, const VectorIn& qddot, int n) {
        const Model& model = s.get();
        return with_workspace(s, [&](Workspace& w) {
          copy_checked(q, w.q, "q");
          copy_checked(qdot, w.v, "qdot");
          copy_checked(qddot, w.a, "qddot");
          double sink = 0.0;
          const auto t0 = std::chrono::steady_clock::now();
          for (int i = 0; i < n; ++i) {
            clear_applied_forces(w.data);
            sink += rnea(model, w.data, w.q, w.v, w.a)[0];
          }
          const auto t1 = std::chrono::steady_clock::now();
          if (!std::isfinite(sink)) throw std::runtime_error("rnea is not finite");
          return std::chrono::duration<double>(t1 - t0).count() / n;
        });
      },
      py::arg("model"), py::arg("q"), py::arg("qdot"), py::arg("qddot"), py::arg("n"));

  m.def(
      "hip_model",
      [] {
        std::shared_ptr<const Model> model;
        {
          py::gil_scoped_release release;
          model = std::make_shared<const Model>(hip::build_hip_model());
        }
        return std::make_shared<PyModel>(model);
      },
      "femur's own hip, pelvis and low-back model (models/femur_hip.osim), built in code.\n\n"
      "Example:\n    >>> m = femur.hip_model()");
}

}  // namespace femur::python
