// femur's gait problem file (gait_problem_file.hpp).
#include "femur/ocp/gait_problem_file.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace femur::ocp {

GaitProblem parse_gait_problem(const std::string& text, const std::string& name, const Model& model) {
  GaitProblem pb;
  pb.free_final_time = false;
  bool have_time = false;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string s; words >> s;) w.push_back(s);
    if (w.empty()) continue;
    auto fail = [&](const std::string& what) {
      throw std::runtime_error(fmt::format("{}:{}: {}", name, number, what));
    };
    auto count = [&](std::size_t lo, std::size_t hi, const char* usage) {
      if (w.size() < lo || w.size() > hi) fail(fmt::format("{}: expected '{}'", w[0], usage));
    };
    auto num = [&](std::size_t i, const char* what) {
      try {
        std::size_t used = 0;
        const double v = std::stod(w[i], &used);
        if (used != w[i].size() || !std::isfinite(v)) throw std::invalid_argument(w[i]);
        return v;
      } catch (const std::exception&) {
        fail(fmt::format("{}: {} '{}' is not a finite number", w[0], what, w[i]));
      }
      return 0.0;
    };
    const std::string& key = w[0];
    if (key == "time") {
      count(4, 4, "time T0 TF_LO TF_HI");
      pb.initial_time = num(1, "T0");
      pb.final_time_lo = num(2, "TF_LO");
      pb.final_time_hi = num(3, "TF_HI");
      if (!(pb.final_time_lo > pb.initial_time) || pb.final_time_hi < pb.final_time_lo)
        fail("time: expected T0 < TF_LO <= TF_HI");
      pb.free_final_time = pb.final_time_hi > pb.final_time_lo;
      pb.final_time = 0.5 * (pb.final_time_lo + pb.final_time_hi);
      have_time = true;
    } else if (key == "mesh_intervals") {
      count(2, 2, "mesh_intervals N");
      const double n = num(1, "N");
      if (n < 2 || n != std::floor(n)) fail("mesh_intervals: N must be a whole number >= 2");
      pb.mesh_intervals = static_cast<int>(n);
    } else if (key == "bound") {
      count(4, 4, "bound COORDINATE LO HI");
      const int k = model.coordinate_index(w[1]);
      if (k < 0) fail("bound: the model has no coordinate '" + w[1] + "'");
      const double s = model.coordinates[static_cast<size_t>(k)].motion_type == MotionType::Rotational ? M_PI / 180.0 : 1.0;
      const double lo = num(2, "LO"), hi = num(3, "HI");
      if (lo > hi) fail("bound: LO exceeds HI");
      pb.coordinate_bounds[w[1]] = {lo * s, hi * s};
    } else if (key == "symmetry") {
      count(2, 2, "symmetry gait");
      if (w[1] != "gait") fail("symmetry: only 'gait' is known");
      for (const auto& p : gait_symmetry_pairs(model)) pb.periodic_pairs.push_back(p);
    } else if (key == "periodic") {
      count(3, 3, "periodic INITIAL_VARIABLE FINAL_VARIABLE");
      pb.periodic_pairs.push_back({w[1], w[2]});
    } else if (key == "average_speed") {
      count(3, 3, "average_speed SPEED COORDINATE");
      pb.average_speed = num(1, "SPEED");
      pb.speed_coordinate = w[2];
      if (model.coordinate_index(w[2]) < 0) fail("average_speed: the model has no coordinate '" + w[2] + "'");
    } else if (key == "effort") {
      count(3, 4, "effort WEIGHT EXPONENT [divide_by_displacement]");
      pb.effort_weight = num(1, "WEIGHT");
      pb.effort_exponent = num(2, "EXPONENT");
      if (pb.effort_weight < 0 || pb.effort_exponent < 2) fail("effort: WEIGHT >= 0 and EXPONENT >= 2 expected");
      if (w.size() == 4) {
        if (w[3] != "divide_by_displacement") fail("effort: unknown option '" + w[3] + "'");
        pb.effort_divide_by_displacement = true;
      }
    } else if (key == "tolerance") {
      count(2, 2, "tolerance TOL");
      pb.solver.convergence_tolerance = num(1, "TOL");
    } else if (key == "constraint_tolerance") {
      count(2, 2, "constraint_tolerance TOL");
      pb.solver.constraint_tolerance = num(1, "TOL");
    } else if (key == "max_iterations") {
      count(2, 2, "max_iterations N");
      pb.solver.max_iterations = static_cast<int>(num(1, "N"));
    } else {
      fail("unknown setting '" + key + "'");
    }
  }
  if (!have_time) throw std::runtime_error(name + ": no 'time T0 TF_LO TF_HI' line");
  return pb;
}

GaitProblem read_gait_problem(const std::filesystem::path& path, const Model& model) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error(path.string() + ": cannot be read");
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_gait_problem(ss.str(), path.string(), model);
}

}  // namespace femur::ocp
