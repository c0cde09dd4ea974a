// OpenSim Function elements -> femur::Function, and the frame-path resolver of the .osim
// reader. Property names follow the OpenSim classes (OpenSim/Common/Constant.h,
// LinearFunction.h, PiecewiseLinearFunction.h, PiecewiseConstantFunction.h, SimmSpline.h,
// NaturalCubicSpline.h, GCVSpline.h, PolynomialFunction.h, MultiplierFunction.h, Sine.h,
// StepFunction.h).
#include <array>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "femur/io/error.hpp"
#include "osim_internal.hpp"

namespace femur::io::osim {

void Context::warn(pugi::xml_node node, const std::string& message) const {
  if (warnings) warnings->push_back(fmt::format("{}:{}: {}", doc.file(), doc.line_of(node), message));
}

void Context::require_coordinate(pugi::xml_node node, const std::string& name, const std::string& what) const {
  if (coordinates && !coordinates->count(name))
    doc.fail(node, fmt::format("{}: '{}' is not a coordinate of the model", what, name));
}

std::string name_of(pugi::xml_node element) { return element.attribute("name").value(); }

std::vector<pugi::xml_node> set_objects(pugi::xml_node set) {
  std::vector<pugi::xml_node> out;
  if (!set) return out;
  const pugi::xml_node objects = set.child("objects");
  const pugi::xml_node holder = objects ? objects : set;
  for (pugi::xml_node c : holder.children())
    if (c.type() == pugi::node_element && (objects || std::string_view(c.name()) != "groups"))
      out.push_back(c);
  return out;
}

std::string path_leaf(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// ---------------------------------------------------------------------------------------
// Functions

namespace {

constexpr std::array<std::string_view, 11> kFunctionElements = {
    "Constant",          "LinearFunction",     "PiecewiseLinearFunction",
    "PiecewiseConstantFunction", "SimmSpline", "NaturalCubicSpline",
    "GCVSpline",         "PolynomialFunction", "MultiplierFunction",
    "Sine",              "StepFunction"};

// x and y of a tabulated function: same count, at least `min_points`, x strictly increasing.
std::pair<std::vector<double>, std::vector<double>> read_xy(const Context& ctx, pugi::xml_node f,
                                                            std::size_t min_points) {
  const auto& doc = ctx.doc;
  const auto x_el = f.child("x"), y_el = f.child("y");
  if (!x_el) doc.fail(f, fmt::format("{} has no <x>", f.name()));
  if (!y_el) doc.fail(f, fmt::format("{} has no <y>", f.name()));
  auto x = doc.doubles(x_el), y = doc.doubles(y_el);
  if (x.size() != y.size())
    doc.fail(f, fmt::format("{}: <x> has {} values but <y> has {}", f.name(), x.size(), y.size()));
  if (x.size() < min_points)
    doc.fail(f, fmt::format("{}: needs at least {} points, found {}", f.name(), min_points, x.size()));
  for (std::size_t i = 1; i < x.size(); ++i)
    if (!(x[i] > x[i - 1]))
      doc.fail(x_el, fmt::format("{}: <x> must increase, but x[{}] = {} follows {}", f.name(), i,
                                 x[i], x[i - 1]));
  return {std::move(x), std::move(y)};
}

double required_number(const Context& ctx, pugi::xml_node f, const char* name) {
  const auto c = f.child(name);
  if (!c) ctx.doc.fail(f, fmt::format("{} has no <{}>", f.name(), name));
  return ctx.doc.number(c);
}

}  // namespace

bool is_function_element(std::string_view element_name) {
  for (auto k : kFunctionElements)
    if (k == element_name) return true;
  return false;
}

pugi::xml_node find_function(const Context& ctx, pugi::xml_node owner, const char* property) {
  // <property><Kind/></property>: the wrapper holds exactly one element (or none: unset).
  if (const auto wrapper = owner.child(property)) {
    pugi::xml_node found;
    for (pugi::xml_node c : wrapper.children()) {
      if (c.type() != pugi::node_element) continue;
      if (found) ctx.doc.fail(c, fmt::format("<{}> holds more than one function", property));
      found = c;
    }
    return found;
  }
  // 4.0: <Kind name="property"> directly in the owner.
  for (pugi::xml_node c : owner.children()) {
    if (c.type() == pugi::node_element && name_of(c) == property &&
        (is_function_element(c.name()) || std::string_view(c.name()).find("Function") != std::string_view::npos ||
         std::string_view(c.name()).find("Spline") != std::string_view::npos))
      return c;
  }
  return {};
}

namespace {
Function read_function_impl(const Context& ctx, pugi::xml_node f) {
  const auto& doc = ctx.doc;
  const std::string_view kind = f.name();
  if (kind == "Constant") return Function::constant(doc.child_number(f, "value", 0.0));
  if (kind == "LinearFunction") {
    // OpenSim LinearFunction: coefficients = (slope, intercept), default (1, 0).
    const auto c = doc.child_doubles(f, "coefficients", 2).value_or(std::vector<double>{1.0, 0.0});
    return Function::linear(c[0], c[1]);
  }
  if (kind == "PiecewiseLinearFunction") {
    auto [x, y] = read_xy(ctx, f, 1);
    return Function::piecewise_linear(std::move(x), std::move(y));
  }
  if (kind == "PiecewiseConstantFunction") {
    auto [x, y] = read_xy(ctx, f, 1);
    return Function::piecewise_constant(std::move(x), std::move(y));
  }
  if (kind == "SimmSpline") {
    auto [x, y] = read_xy(ctx, f, 2);
    return Function::simm_spline(std::move(x), std::move(y));
  }
  if (kind == "NaturalCubicSpline") {
    auto [x, y] = read_xy(ctx, f, 2);
    return Function::natural_cubic_spline(std::move(x), std::move(y));
  }
  if (kind == "GCVSpline") {
    // GCVSpline.h: half_order m = (degree + 1) / 2; knots x; coefficients.
    int degree = 5;
    if (const auto h = f.child("half_order")) degree = 2 * doc.integer(h) - 1;
    if (const auto d = f.child("degree")) degree = doc.integer(d);
    if (degree != 1 && degree != 3 && degree != 5 && degree != 7)
      doc.fail(f, fmt::format("GCVSpline: degree {} is not one of 1, 3, 5, 7", degree));
    const auto x_el = f.child("x"), c_el = f.child("coefficients");
    if (!x_el || !c_el) doc.fail(f, "GCVSpline needs <x> and <coefficients>");
    auto x = doc.doubles(x_el);
    auto c = doc.doubles(c_el);
    if (x.size() != c.size())
      doc.fail(f, fmt::format("GCVSpline: <x> has {} values but <coefficients> has {}", x.size(), c.size()));
    if (x.size() < static_cast<std::size_t>(degree + 1))
      doc.fail(f, fmt::format("GCVSpline of degree {} needs at least {} knots, found {}", degree,
                              degree + 1, x.size()));
    return Function::gcv_spline(degree, std::move(x), std::move(c));
  }
  if (kind == "PolynomialFunction") {
    const auto c = doc.child_doubles(f, "coefficients").value_or(std::vector<double>{});
    if (c.empty()) doc.fail(f, "PolynomialFunction has no <coefficients>");
    return Function::polynomial(c);
  }
  if (kind == "MultiplierFunction") {
    const auto inner = find_function(ctx, f, "function");
    if (!inner) doc.fail(f, "MultiplierFunction has no <function>");
    return Function::multiplier(read_function(ctx, inner), doc.child_number(f, "scale", 1.0));
  }
  if (kind == "Sine") {
    return Function::sine(doc.child_number(f, "amplitude", 1.0), doc.child_number(f, "omega", 1.0),
                          doc.child_number(f, "phase", 0.0), doc.child_number(f, "offset", 0.0));
  }
  if (kind == "StepFunction") {
    // 4.x names; 3.x files wrote start_time/end_time.
    const double t0 = f.child("transition_start_time") ? required_number(ctx, f, "transition_start_time")
                                                        : doc.child_number(f, "start_time", 0.99);
    const double t1 = f.child("transition_end_time") ? required_number(ctx, f, "transition_end_time")
                                                      : doc.child_number(f, "end_time", 1.01);
    if (!(t1 > t0)) doc.fail(f, fmt::format("StepFunction: end time {} is not after start time {}", t1, t0));
    return Function::step(t0, t1, doc.child_number(f, "start_value", 0.0),
                          doc.child_number(f, "end_value", 1.0));
  }
  doc.fail(f, fmt::format("unknown function type '{}'", kind));
}
}  // namespace

Function read_function(const Context& ctx, pugi::xml_node f) {
  try {
    return read_function_impl(ctx, f);
  } catch (const ParseError&) {
    throw;
  } catch (const std::exception& e) {  // a factory refusing its data
    ctx.doc.fail(f, fmt::format("{}: {}", f.name(), e.what()));
  }
}

// ---------------------------------------------------------------------------------------
// Frames

namespace {

// Joins `owner_path` and a relative `ref`, resolving "." and "..".
std::string join_path(const std::string& owner_path, const std::string& ref) {
  std::vector<std::string> parts;
  auto push_all = [&parts](std::string_view s) {
    std::size_t i = 0;
    while (i <= s.size()) {
      const auto j = std::min(s.find('/', i), s.size());
      const std::string_view p = s.substr(i, j - i);
      if (p == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!p.empty() && p != ".") {
        parts.emplace_back(p);
      }
      i = j + 1;
    }
  };
  if (ref.empty() || ref.front() != '/') push_all(owner_path);
  push_all(ref);
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

}  // namespace

void FrameResolver::add_body(const std::string& path, const std::string& body_name) {
  bodies_[path] = body_name;
}

void FrameResolver::add_offset_frame(const std::string& path, const std::string& parent_ref,
                                     const Transform& X_parent_frame, pugi::xml_node element) {
  offsets_[path] = Offset{parent_ref, X_parent_frame, element};
}

std::optional<std::string> FrameResolver::find_path(const std::string& owner_path,
                                                    const std::string& ref) const {
  if (ref.empty()) return std::nullopt;
  // Relative references are tried from the owner and then from each of its ancestors, which
  // covers OpenSim's own rule (relative to the socket's owner) and the looser paths written
  // by early 4.0 tools.
  std::string base = owner_path;
  for (;;) {
    const std::string p = join_path(base, ref);
    if (bodies_.count(p) || offsets_.count(p)) return p;
    if (ref.front() == '/' || base.empty() || base == "/") break;
    const auto slash = base.rfind('/');
    base = slash == std::string::npos || slash == 0 ? std::string() : base.substr(0, slash);
  }
  // A plain name: a body, then a uniquely named offset frame.
  const std::string leaf = path_leaf(ref);
  for (const auto& [path, name] : bodies_)
    if (name == leaf) return path;
  std::optional<std::string> found;
  for (const auto& [path, offset] : offsets_) {
    if (path_leaf(path) != leaf) continue;
    if (found) return std::nullopt;  // ambiguous
    found = path;
  }
  return found;
}

std::optional<BodyFrame> FrameResolver::resolve(const Context& ctx, const std::string& owner_path,
                                                const std::string& ref) const {
  auto path = find_path(owner_path, ref);
  if (!path) return std::nullopt;
  Transform X_frame_start;  // the requested frame in the current frame
  std::set<std::string> seen;
  for (;;) {
    if (const auto b = bodies_.find(*path); b != bodies_.end())
      return BodyFrame{b->second, X_frame_start};
    const Offset& off = offsets_.at(*path);
    if (!seen.insert(*path).second)
      ctx.doc.fail(off.element, fmt::format("PhysicalOffsetFrame '{}' is its own ancestor (frames form a loop)",
                                            path_leaf(*path)));
    X_frame_start = off.X_parent_frame * X_frame_start;
    const auto parent = find_path(*path, off.parent_ref);
    if (!parent)
      ctx.doc.fail(off.element, fmt::format("PhysicalOffsetFrame '{}': socket_parent '{}' names no body or frame",
                                            path_leaf(*path), off.parent_ref));
    path = parent;
  }
}

}  // namespace femur::io::osim
