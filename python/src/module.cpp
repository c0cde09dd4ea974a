// The extension module femur._femur: what python/femur/__init__.py re-exports. Errors: a bad
// input file (io::ParseError) becomes femur.ParseError, a RuntimeError carrying the message
// "file:line: what is wrong" and the attributes file, line, column; bad arguments become
// ValueError (std::invalid_argument, scenario errors included); an input file argument that
// does not exist FileNotFoundError; other failures RuntimeError.
#include "bindings.hpp"

#include "femur/io/error.hpp"

namespace femur::python {

PYBIND11_MODULE(_femur, m) {
  m.doc() = "femur: musculoskeletal simulation (OpenSim-compatible), the C++ extension";
  static py::exception<io::ParseError> parse_error(m, "ParseError", PyExc_RuntimeError);
  parse_error.attr("__doc__") =
      "A bad input file: str(e) is 'file:line: what is wrong'; e.file, e.line, e.column.\n\n"
      "Example:\n    >>> try:\n    ...     femur.Model(\"broken.osim\")\n"
      "    ... except femur.ParseError as e:\n    ...     print(e.file, e.line)";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const io::ParseError& e) {
      py::object error = py::reinterpret_borrow<py::object>(parse_error.ptr())(e.what());
      error.attr("file") = e.file();
      error.attr("line") = e.line();
      error.attr("column") = e.column();
      PyErr_SetObject(parse_error.ptr(), error.ptr());
    } catch (const io::UsageError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const FileNotFound& e) {
      PyErr_SetString(PyExc_FileNotFoundError, e.what());
    }
  });
  bind_tables(m);
  bind_model(m);
  bind_tools(m);
  bind_scenarios(m);
  bind_batch(m);
  bind_simulation(m);
  bind_optimal_control(m);
}

}  // namespace femur::python
