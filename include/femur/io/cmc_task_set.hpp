// CMC_TaskSet files: the tracking tasks of Computed Muscle Control and RRA (OpenSim/Tools/
// CMC_TaskSet.cpp, CMC_Task.cpp, CMC_Joint.cpp, TrackingTask.cpp). Only joint tasks
// (CMC_Joint) are read; point and orientation tasks (CMC_Point, CMC_Orientation) are refused
// with their line. Inclusion is decided by active[0] (CMC_TaskSet ignores `on`, OPENSIM-NOTES.md
// C.9), and joints use element 0 of kp, kv, ka and weight.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace femur::io {

struct CmcJointTask {
  std::string name;          // must also name a coordinate (OpenSim looks functions up by it)
  std::string coordinate;
  int line = 0;
  bool on = true;            // read, not used by OpenSim
  bool active = true;        // active[0]
  double weight = 1.0, kp = 1.0, kv = 1.0, ka = 1.0;  // CMC_Task.cpp defaults
  double limit = 0.0;
};

struct CmcPointTaskSpec {
  std::string name;          // also the name of its three columns in the desired points
  int line = 0;
  std::string wrt_body;      // a body, or center_of_mass
  std::array<double, 3> point{0.0, 0.0, 0.0};  // in wrt_body
  std::array<bool, 3> active{false, false, false};
  std::array<double, 3> weight{1.0, 1.0, 1.0}, kp{1.0, 1.0, 1.0}, kv{1.0, 1.0, 1.0}, ka{1.0, 1.0, 1.0};
};

struct CmcTaskSet {
  std::filesystem::path file;
  std::string name;
  std::vector<CmcJointTask> tasks;
  std::vector<CmcPointTaskSpec> points;
};

// Throws ParseError "file:LINE: ..." for malformed XML, a value that is not a number, a task
// without a coordinate, two tasks of one name, a task type femur does not track, or a point task
// without wrt_body, expressed in a body other than ground, or with direction vectors other than
// X, Y, Z.
CmcTaskSet read_cmc_task_set(const std::filesystem::path& file, std::vector<std::string>* warnings = nullptr);

}  // namespace femur::io
