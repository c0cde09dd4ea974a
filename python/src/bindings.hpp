// Shared pieces of the Python module `femur` (pybind11): the Python-side Model (an immutable
// femur::Model shared by every thread plus one workspace for single-frame calls), array checks
// and the binder functions of each source file.
#pragma once

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "femur/model/data.hpp"
#include "femur/model/model.hpp"
#include "femur/muscle/geometry_path.hpp"

namespace femur::python {

namespace py = pybind11;

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Input vectors: any 1-D float64 array is read in place, anything else converted (a copy).
using VectorIn = Eigen::Ref<const Eigen::VectorXd>;
// Input matrices (frames x columns): C-ordered float64 read in place, else converted.
using MatrixIn = Eigen::Ref<const RowMatrix>;

// The buffers of the single-frame calls (Model.rnea, Model.point_jacobian, ...): one per
// Python Model, guarded by a mutex, so Python threads may share a Model.
struct Workspace {
  explicit Workspace(const Model& model);
  Data data;
  PathData paths;
  Eigen::VectorXd q, v, a;
  Matrix3X J3;
  Matrix6X J6;
  std::mutex mutex;
};

struct PyModel {
  explicit PyModel(std::shared_ptr<const Model> m);
  std::shared_ptr<const Model> model;
  std::vector<std::string> warnings;  // what the reader warned about
  std::unique_ptr<Workspace> ws;
  const Model& get() const { return *model; }
};

// An input file given as an argument that does not exist: FileNotFoundError in Python.
struct FileNotFound : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A body or coordinate given by index or by name; throws IndexError/KeyError-like errors.
using NameOrIndex = std::variant<int, std::string>;
int body_index(const Model& model, const NameOrIndex& body);

// Copies v into out (same size, no allocation) or throws ValueError naming the argument.
void copy_checked(const VectorIn& v, Eigen::VectorXd& out, const char* name);

void bind_model(py::module_& m);
void bind_tables(py::module_& m);
void bind_tools(py::module_& m);
void bind_scenarios(py::module_& m);
void bind_batch(py::module_& m);
void bind_simulation(py::module_& m);     // scale, forward (flags), cmc, rra
void bind_optimal_control(py::module_& m);  // inverse, track, predict

}  // namespace femur::python
