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

// All three entries of a property array (fewer: the rest keep their defaults).
void three_numbers(detail::OsimXmlReader& r, detail::Node n, std::array<double, 3>& out) {
  std::vector<double> v;
  r.read(n, v);
  for (size_t i = 0; i < v.size() && i < 3; ++i) out[i] = v[i];
}

bool parse_flag(detail::OsimXmlReader& r, detail::Node c, const std::string& task, const std::string& w) {
  if (w == "true" || w == "True" || w == "TRUE" || w == "1") return true;
  if (w == "false" || w == "False" || w == "FALSE" || w == "0") return false;
  r.fail(c, fmt::format("<active> of task '{}': expected true or false, got '{}'", task, w));
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
  // CMC_Point: a body point (or the centre of mass) in ground, three components.
  auto read_point = [&](detail::Node o) {
    CmcPointTaskSpec task;
    task.name = o.attribute("name");
    task.line = r.line(o);
    if (task.name.empty()) r.fail(o, "<CMC_Point> has no name (it names its columns in the desired points)");
    std::string express = "ground";
    for (detail::Node c : r.children(o)) {
      const auto k = c.name();
      if (k == "on") continue;
      else if (k == "weight") three_numbers(r, c, task.weight);
      else if (k == "kp") three_numbers(r, c, task.kp);
      else if (k == "kv") three_numbers(r, c, task.kv);
      else if (k == "ka") three_numbers(r, c, task.ka);
      else if (k == "point") three_numbers(r, c, task.point);
      else if (k == "wrt_body") r.read(c, task.wrt_body);
      else if (k == "express_body") r.read(c, express);
      else if (k == "active") {
        std::vector<std::string> words;
        r.read(c, words);
        for (size_t i = 0; i < words.size() && i < 3; ++i) task.active[i] = parse_flag(r, c, task.name, words[i]);
      } else if (k == "r0" || k == "r1" || k == "r2" || k == "direction_vectors") {
        std::vector<double> v;
        r.read(c, v);
        const std::vector<double> unit = k == "r0" ? std::vector<double>{1, 0, 0}
                                         : k == "r1" ? std::vector<double>{0, 1, 0}
                                         : k == "r2" ? std::vector<double>{0, 0, 1}
                                                     : std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1};
        if (!v.empty() && v != unit)
          r.fail(c, fmt::format("CMC_Point '{}': <{}> other than the ground axes is not supported by femur", task.name, k));
      } else {
        r.unknown(c, "CMC_Point");
      }
    }
    if (task.wrt_body.empty()) r.fail(o, fmt::format("CMC_Point '{}' has no <wrt_body>", task.name));
    if (express != "ground")
      r.fail(o, fmt::format("CMC_Point '{}': express_body '{}' is not supported by femur (only ground)", task.name, express));
    for (const CmcPointTaskSpec& t : set.points)
      if (t.name == task.name) r.fail(o, fmt::format("task '{}' is defined twice (first at line {})", task.name, t.line));
    set.points.push_back(std::move(task));
  };
  auto read_task = [&](detail::Node o) {
    if (o.name() == "CMC_Point" || o.name() == "rdCMC_Point") return read_point(o);
    if (o.name() != "CMC_Joint" && o.name() != "rdCMC_Joint")
      r.fail(o, fmt::format("<{}> tasks are not supported by femur (only CMC_Joint and CMC_Point)", o.name()));
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
