// CMC_TaskSet files (OpenSim/Tools/CMC_TaskSet.cpp, CMC_Task.cpp: kp, kv, ka, weight, active
// arrays of three with defaults 1, 1, 1, 1 and false; CMC_Joint.cpp: coordinate, limit).
#include "femur/io/cmc_task_set.hpp"

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "setup_reader.hpp"

namespace femur::io {

namespace {

// The first entry of a property array (kp, kv, ka, weight, active hold three; joints use one).
double first_number(detail::OsimXmlReader& r, detail::Node n, double fallback) {
  std::vector<double> v;
  r.read(n, v);
  return v.empty() ? fallback : v[0];
}

}  // namespace

CmcTaskSet read_cmc_task_set(const std::filesystem::path& file, std::vector<std::string>* warnings) {
  detail::OsimXmlReader r(file.parent_path(), warnings);
  CmcTaskSet set;
  set.file = file;
  int version = 0;
  const detail::Node root = r.open(file, &version);
  if (root.name() != "CMC_TaskSet" && root.name() != "rdCMC_TaskSet")
    r.fail(root, fmt::format("<{}> is not a CMC_TaskSet", root.name()));
  set.name = root.attribute("name");
  auto read_task = [&](detail::Node o) {
    if (o.name() != "CMC_Joint" && o.name() != "rdCMC_Joint")
      r.fail(o, fmt::format("<{}> tasks are not supported by femur (only CMC_Joint)", o.name()));
    CmcJointTask task;
    task.name = o.attribute("name");
    task.line = r.line(o);
    if (task.name.empty()) r.fail(o, "<CMC_Joint> has no name (it must name a coordinate)");
    for (detail::Node c : r.children(o)) {
      const auto k = c.name();
      if (k == "on") r.read(c, task.on);
      else if (k == "weight") task.weight = first_number(r, c, task.weight);
      else if (k == "kp") task.kp = first_number(r, c, task.kp);
      else if (k == "kv") task.kv = first_number(r, c, task.kv);
      else if (k == "ka") task.ka = first_number(r, c, task.ka);
      else if (k == "limit") r.read(c, task.limit);
      else if (k == "coordinate") r.read(c, task.coordinate);
      else if (k == "active") {
        std::vector<std::string> words;
        r.read(c, words);
        if (!words.empty()) {
          const std::string& w = words[0];
          if (w == "true" || w == "True" || w == "TRUE" || w == "1") task.active = true;
          else if (w == "false" || w == "False" || w == "FALSE" || w == "0") task.active = false;
          else r.fail(c, fmt::format("<active> of CMC_Joint '{}': expected true or false, got '{}'", task.name, w));
        } else {
          task.active = false;
        }
      } else if (k == "wrt_body" || k == "express_body" || k == "r0" || k == "r1" || k == "r2" ||
                 k == "direction_vectors") {
        continue;  // TrackingTask properties that joints do not use
      } else {
        r.unknown(c, "CMC_Joint");
      }
    }
    if (task.coordinate.empty()) r.fail(o, fmt::format("CMC_Joint '{}' has no <coordinate>", task.name));
    for (const CmcJointTask& t : set.tasks)
      if (t.name == task.name) r.fail(o, fmt::format("task '{}' is defined twice (first at line {})", task.name, t.line));
    set.tasks.push_back(std::move(task));
  };
  for (detail::Node c : r.children(root)) {
    if (c.name() == "defaults" || c.name() == "groups") continue;  // per-type defaults; member names
    if (c.name() != "objects") {
      r.unknown(c, "CMC_TaskSet");
      continue;
    }
    for (detail::Node o : r.children(c)) read_task(r.object(o));
  }
  return set;
}

}  // namespace femur::io
