// ExternalLoads: the XML file that names a data file of ground reaction forces (.mot) and says
// which columns push on which body (OpenSim/Simulation/Model/ExternalLoads.cpp,
// ExternalForce.cpp). Read with read_external_loads(); the tools apply the forces.
// Also holds FileRef, the way every OpenSim XML reader in io/ records a file it names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace femur::io {

// A file named inside an OpenSim XML file, resolved the way OpenSim resolves it (against the
// folder of the setup file, `\` read as a separator), with the place it was named so that a
// missing file can be reported as "setup.xml:12: <model_file>: file not found: ...".
// An element that is absent, empty or "Unassigned" leaves `path` empty (= not set).
struct FileRef {
  std::filesystem::path path;   // resolved path; empty when unset
  std::string written;          // the text of the element, trimmed
  std::string element;          // element name, e.g. "model_file"
  std::string source;           // XML file that named it (the setup, or an included file)
  int line = 0;                 // 1-based line of the element in `source`

  bool empty() const { return path.empty(); }
  // "source:line: " for messages about this element (`fallback` when the source is unknown).
  std::string place(const std::filesystem::path& fallback) const {
    const std::string file = source.empty() ? fallback.string() : source;
    return line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
  }
};

// One ExternalForce (OpenSim 3.x/4.x). Column names in the data file are the identifiers
// followed by x/y/z (e.g. force_identifier "ground_force_v" -> ground_force_vx, _vy, _vz).
struct ExternalForce {
  std::string name;
  int line = 0;
  bool applies_force = true;                       // appliesForce (4.x) or !isDisabled (3.x)
  std::string applied_to_body;
  std::string force_expressed_in_body = "ground";  // ExternalForce.cpp defaults
  std::string point_expressed_in_body = "ground";
  std::string force_identifier;                    // empty: no force (torque only)
  std::string point_identifier;                    // empty: applied at the body origin
  std::string torque_identifier;                   // empty: no torque
  std::string data_source_name;                    // "Unassigned" in most files; datafile wins
};

// A function of time stored inside a PrescribedForce (NaturalCubicSpline, PiecewiseLinear,
// GCVSpline, SimmSpline: x/y samples; Constant: `value`).
struct PrescribedFunction {
  std::string type;
  std::string name;
  std::vector<double> x, y;
  double value = 0.0;
};

// The OpenSim 2.x form of a load: a PrescribedForce with its time functions written inline
// (Pipelines/Gait2392_Simbody/foot_floor_loads.xml). Defaults from PrescribedForce.cpp.
struct PrescribedForce {
  std::string name;
  int line = 0;
  bool applies_force = true;
  std::string body;                 // <body> (2.x/3.x) or the last part of <socket_frame> (4.x)
  bool point_is_global = false;
  bool force_is_global = true;
  std::vector<PrescribedFunction> force_functions, point_functions, torque_functions;
};

struct ExternalLoads {
  std::string name;
  std::filesystem::path file;       // the file read
  int document_version = 0;         // OpenSimDocument Version, 0 for a bare root
  FileRef datafile;                 // resolved against this file's folder
  // Dropped by OpenSim 4.2 (ExternalLoads::updateFromXMLNode warns); kept for reporting.
  FileRef external_loads_model_kinematics_file;
  double lowpass_cutoff_frequency_for_load_kinematics = -1.0;  // negative: no filtering
  std::vector<ExternalForce> forces;
  std::vector<PrescribedForce> prescribed_forces;
};

// Reads an ExternalLoads file (inside <OpenSimDocument> or bare). Throws ParseError
// "file:line: message" on malformed XML, bad numbers or a force with neither a force nor a
// torque identifier (as ExternalForce::extendFinalizeFromProperties does). Elements that are
// not properties of ExternalLoads/ExternalForce are reported in `warnings` (may be null).
ExternalLoads read_external_loads(const std::filesystem::path& file,
                                  std::vector<std::string>* warnings = nullptr);

// Where OpenSim finds an ExternalLoads datafile (ExternalLoads.cpp): relative to the current
// folder, which a tool has changed to the setup file's folder, then beside the loads file.
// Returns the first that exists, else the path beside the loads file (for the message).
std::filesystem::path locate_datafile(const ExternalLoads& loads, const std::filesystem::path& setup_file);

}  // namespace femur::io
