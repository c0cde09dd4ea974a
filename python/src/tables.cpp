// femur.Table (STO/MOT), femur.MarkerTable (TRC) and femur.States (q and u per row for the
// analyses): column names plus numpy data, no pandas. `time` and `data` are views of the
// table's own buffers (writable, zero-copy; they live as long as the table); assigning an
// array replaces the buffer (a copy).
#include "bindings.hpp"
#include "femur/io/table.hpp"
#include "femur/tools/analyze_states.hpp"

namespace femur::python {

namespace {

py::array column_view(py::object self, io::Table& t, const std::string& label) {
  const int c = t.column(label);
  if (c < 0) throw py::key_error("table '" + t.name + "' has no column '" + label + "'");
  // data is column-major: a column is contiguous.
  return py::array_t<double>({t.data.rows()}, {static_cast<py::ssize_t>(sizeof(double))}, t.data.col(c).data(), self);
}

}  // namespace

void bind_tables(py::module_& m) {
  py::class_<io::Table>(m, "Table", R"doc(
A time series table as OpenSim writes it (.sto/.mot): name, column labels, time (rows,) and
data (rows, columns). `table["hip_flexion_r"]` is one column (a view); rotational columns are
in degrees when in_degrees is True.

Example:
    >>> t = femur.read_sto("subject01_walk1_ik.mot")
    >>> t.labels[:3], t.data.shape, t["knee_angle_r"].max()
)doc")
      .def(py::init([](std::vector<std::string> labels, const VectorIn& time, const MatrixIn& data, std::string name,
                       bool in_degrees) {
             if (data.rows() != time.size() || data.cols() != static_cast<Eigen::Index>(labels.size()))
               throw std::invalid_argument("data is " + std::to_string(data.rows()) + " x " +
                                           std::to_string(data.cols()) + ", expected len(time) x len(labels) = " +
                                           std::to_string(time.size()) + " x " + std::to_string(labels.size()));
             io::Table t;
             t.name = std::move(name);
             t.labels = std::move(labels);
             t.time = time;
             t.data = data;
             t.in_degrees = in_degrees;
             return t;
           }),
           py::arg("labels"), py::arg("time"), py::arg("data"), py::arg("name") = "", py::arg("in_degrees") = false)
      .def_readwrite("name", &io::Table::name)
      .def_readwrite("labels", &io::Table::labels)
      .def_readwrite("in_degrees", &io::Table::in_degrees)
      .def_readwrite("metadata", &io::Table::metadata)
      .def_property(
          "time", [](io::Table& t) -> Eigen::Ref<Eigen::VectorXd> { return t.time; },
          [](io::Table& t, const VectorIn& v) { t.time = v; }, py::return_value_policy::reference_internal)
      .def_property(
          "data", [](io::Table& t) -> Eigen::Ref<Eigen::MatrixXd> { return t.data; },
          [](io::Table& t, const MatrixIn& d) { t.data = d; }, py::return_value_policy::reference_internal)
      .def_property_readonly("shape", [](const io::Table& t) { return py::make_tuple(t.rows(), t.cols()); })
      .def("__len__", &io::Table::rows)
      .def("column", [](const io::Table& t, const std::string& label) { return t.column(label); }, py::arg("label"),
           "Index of a column (exact label, or an OpenSim 4 path's coordinate name); -1 if absent.\n\n"
           "Example:\n    >>> t.data[:, t.column(\"/jointset/hip_r/hip_flexion_r/value\")]")
      .def("__getitem__", [](py::object self, const std::string& label) {
        return column_view(self, self.cast<io::Table&>(), label);
      })
      .def("__contains__", [](const io::Table& t, const std::string& label) { return t.column(label) >= 0; })
      .def(
          "write",
          [](const io::Table& t, const std::filesystem::path& path) {
            py::gil_scoped_release release;
            io::write_sto(path, t);
          },
          py::arg("path"), "Writes the table as .sto/.mot (atomically).\n\nExample:\n    >>> femur.id(m, \"ik.mot\").write(\"id.sto\")")
      .def("__repr__", [](const io::Table& t) {
        return "<femur.Table '" + t.name + "' " + std::to_string(t.rows()) + " rows x " + std::to_string(t.cols()) +
               " columns>";
      });

  m.def(
      "read_sto",
      [](const std::filesystem::path& path) {
        py::gil_scoped_release release;
        return io::read_sto(path);
      },
      py::arg("path"),
      "Reads a .sto or .mot file into a Table; a bad file raises femur.ParseError (file:line).\n\n"
      "Example:\n    >>> t = femur.read_sto(\"subject01_walk1_ik.mot\")");

  py::class_<io::MarkerTable>(m, "MarkerTable", R"doc(
Marker trajectories (.trc): marker names, time (frames,), data (frames, 3 * markers) in
`units` (missing markers are NaN).

Example:
    >>> mk = femur.read_trc("subject01_walk1.trc"); mk.markers[:2], mk.units
)doc")
      .def_readonly("name", &io::MarkerTable::name)
      .def_readonly("markers", &io::MarkerTable::markers)
      .def_readonly("units", &io::MarkerTable::units)
      .def_readonly("data_rate", &io::MarkerTable::data_rate)
      .def_property_readonly("time", [](io::MarkerTable& t) -> Eigen::Ref<Eigen::VectorXd> { return t.time; },
                             py::return_value_policy::reference_internal)
      .def_property_readonly("data", [](io::MarkerTable& t) -> Eigen::Ref<Eigen::MatrixXd> { return t.data; },
                             py::return_value_policy::reference_internal)
      .def("__len__", &io::MarkerTable::frames)
      .def("__repr__", [](const io::MarkerTable& t) {
        return "<femur.MarkerTable " + std::to_string(t.frames()) + " frames x " + std::to_string(t.markers.size()) +
               " markers>";
      });

  m.def(
      "read_trc",
      [](const std::filesystem::path& path) {
        py::gil_scoped_release release;
        return io::read_trc(path);
      },
      py::arg("path"), "Reads a .trc file into a MarkerTable (units as the file says).\n\n"
                       "Example:\n    >>> mk = femur.read_trc(\"subject01_walk1.trc\")");

  py::class_<tools::AnalyzeStates>(m, "States", R"doc(
The states the analyses (so, jr, muscle_analysis) run on: time (rows,), q and u (rows, nq),
radians and metres. Make them with femur.states(model, coordinates) or from arrays.

Example:
    >>> s = femur.States(t, q, np.zeros_like(q))
)doc")
      .def(py::init([](const VectorIn& time, const MatrixIn& q, const MatrixIn& u) {
             if (q.rows() != time.size() || u.rows() != time.size() || u.cols() != q.cols())
               throw std::invalid_argument("q and u must both be len(time) x nq");
             tools::AnalyzeStates s;
             s.time = time;
             s.q = q;
             s.u = u;
             return s;
           }),
           py::arg("time"), py::arg("q"), py::arg("u"))
      .def_property_readonly("time", [](tools::AnalyzeStates& s) -> Eigen::Ref<Eigen::VectorXd> { return s.time; },
                             py::return_value_policy::reference_internal)
      .def_property_readonly("q", [](tools::AnalyzeStates& s) -> Eigen::Ref<Eigen::MatrixXd> { return s.q; },
                             py::return_value_policy::reference_internal)
      .def_property_readonly("u", [](tools::AnalyzeStates& s) -> Eigen::Ref<Eigen::MatrixXd> { return s.u; },
                             py::return_value_policy::reference_internal)
      .def("__len__", &tools::AnalyzeStates::rows);
}

}  // namespace femur::python
