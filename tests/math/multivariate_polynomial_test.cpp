// Tests of femur::MultivariatePolynomial: OpenSim's coefficient order (the table in
// OpenSim/Common/MultivariatePolynomialFunction.h and polynomials expanded by hand), counts
// and errors, the exact gradient against central differences, and the 80 polynomial muscle
// paths of Moco's example3DWalking model against femur's geometry paths of the same model,
// which those polynomials were fitted to.
#include "femur/math/multivariate_polynomial.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "femur/io/osim_reader.hpp"
#include "femur/io/table.hpp"
#include "femur/kinematics/couplers.hpp"
#include "femur/model/data.hpp"
#include "femur/muscle/geometry_path.hpp"
#include "support/test_data.hpp"

namespace femur {
namespace {

// The polynomial with a single coefficient 1 at index k (all others 0).
MultivariatePolynomial unit(int dimension, int order, int k) {
  std::vector<double> c(MultivariatePolynomial::coefficient_count(dimension, order), 0.0);
  c[k] = 1.0;
  return MultivariatePolynomial::make(dimension, order, c);
}

TEST(MultivariatePolynomial, CountsCoefficientsAsBinomials) {
  EXPECT_EQ(MultivariatePolynomial::coefficient_count(1, 5), 6);
  EXPECT_EQ(MultivariatePolynomial::coefficient_count(2, 2), 6);
  EXPECT_EQ(MultivariatePolynomial::coefficient_count(3, 3), 20);
  EXPECT_EQ(MultivariatePolynomial::coefficient_count(3, 5), 56);
  EXPECT_EQ(MultivariatePolynomial::coefficient_count(4, 5), 126);
  EXPECT_EQ(MultivariatePolynomial::coefficient_count(6, 5), 462);
  EXPECT_EQ(MultivariatePolynomial::coefficient_count(6, 12), 18564);
  EXPECT_EQ(MultivariatePolynomial::coefficient_count(2, 0), 1);
}

// The table of MultivariatePolynomialFunction.h for three variables (X, Y, Z), order 3.
TEST(MultivariatePolynomial, TermOrderIsOpenSimsTableForThreeVariablesOrderThree) {
  const int table[20][3] = {{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 0, 3}, {0, 1, 0},
                            {0, 1, 1}, {0, 1, 2}, {0, 2, 0}, {0, 2, 1}, {0, 3, 0},
                            {1, 0, 0}, {1, 0, 1}, {1, 0, 2}, {1, 1, 0}, {1, 1, 1},
                            {1, 2, 0}, {2, 0, 0}, {2, 0, 1}, {2, 1, 0}, {3, 0, 0}};
  const double x[] = {1.3, -0.7, 2.1};
  for (int k = 0; k < 20; ++k) {
    const auto e = MultivariatePolynomial::exponents_of(3, 3, k);
    EXPECT_EQ(e[0], table[k][0]) << k;
    EXPECT_EQ(e[1], table[k][1]) << k;
    EXPECT_EQ(e[2], table[k][2]) << k;
    const double monomial = std::pow(x[0], table[k][0]) * std::pow(x[1], table[k][1]) * std::pow(x[2], table[k][2]);
    EXPECT_NEAR(unit(3, 3, k).value(x), monomial, 1e-14) << k;
  }
}

// Polynomials written out by hand in the documented order ("ascending powers starting from
// the last independent component").
TEST(MultivariatePolynomial, MatchesPolynomialsExpandedByHand) {
  const double x = 0.7, y = -1.3, z = 0.4;
  {  // dimension 2, order 2: 1, y, y^2, x, xy, x^2
    const auto p = MultivariatePolynomial::make(2, 2, {1, 2, 3, 4, 5, 6});
    const double v[] = {x, y};
    EXPECT_NEAR(p.value(v), 1 + 2 * y + 3 * y * y + 4 * x + 5 * x * y + 6 * x * x, 1e-14);
  }
  {  // dimension 2, order 3: 1, y, y^2, y^3, x, xy, xy^2, x^2, x^2y, x^3
    const auto p = MultivariatePolynomial::make(2, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    const double v[] = {x, y};
    EXPECT_NEAR(p.value(v),
                1 + 2 * y + 3 * y * y + 4 * y * y * y + 5 * x + 6 * x * y + 7 * x * y * y +
                    8 * x * x + 9 * x * x * y + 10 * x * x * x,
                1e-13);
  }
  {  // dimension 3, order 2: 1, z, z^2, y, yz, y^2, x, xz, xy, x^2
    const auto p = MultivariatePolynomial::make(3, 2, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    const double v[] = {x, y, z};
    EXPECT_NEAR(p.value(v),
                1 + 2 * z + 3 * z * z + 4 * y + 5 * y * z + 6 * y * y + 7 * x + 8 * x * z +
                    9 * x * y + 10 * x * x,
                1e-13);
  }
  {  // dimension 3, order 3 (the table above), coefficients 1..20
    std::vector<double> c(20);
    for (int k = 0; k < 20; ++k) c[k] = k + 1;
    const auto p = MultivariatePolynomial::make(3, 3, c);
    const double v[] = {x, y, z};
    const double expected =
        1 + 2 * z + 3 * z * z + 4 * z * z * z + 5 * y + 6 * y * z + 7 * y * z * z + 8 * y * y +
        9 * y * y * z + 10 * y * y * y + 11 * x + 12 * x * z + 13 * x * z * z + 14 * x * y +
        15 * x * y * z + 16 * x * y * y + 17 * x * x + 18 * x * x * z + 19 * x * x * y +
        20 * x * x * x;
    EXPECT_NEAR(p.value(v), expected, 1e-12);
  }
  {  // dimension 1, order 3: ascending powers (the opposite of PolynomialFunction)
    const auto p = MultivariatePolynomial::make(1, 3, {1, 2, 3, 4});
    EXPECT_NEAR(p.value(&x), 1 + 2 * x + 3 * x * x + 4 * x * x * x, 1e-14);
  }
}

TEST(MultivariatePolynomial, RejectsWrongCountsAndBadValues) {
  auto message = [](int d, int o, std::vector<double> c) -> std::string {
    try {
      MultivariatePolynomial::make(d, o, std::move(c));
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(message(3, 5, std::vector<double>(55, 1.0)),
            "MultivariatePolynomialFunction: dimension 3 and order 5 need 56 coefficients, 55 given");
  EXPECT_EQ(message(2, 2, std::vector<double>(7, 1.0)),
            "MultivariatePolynomialFunction: dimension 2 and order 2 need 6 coefficients, 7 given");
  EXPECT_EQ(message(0, 2, {1.0}), "MultivariatePolynomialFunction: dimension 0 is not between 1 and 6");
  EXPECT_EQ(message(7, 1, std::vector<double>(8, 1.0)),
            "MultivariatePolynomialFunction: dimension 7 is not between 1 and 6");
  EXPECT_EQ(message(1, -1, {}), "MultivariatePolynomialFunction: order -1 is not between 0 and 12");
  EXPECT_EQ(message(1, 1, {1.0, NAN}), "MultivariatePolynomialFunction: coefficient 1 is not finite");
  EXPECT_EQ(message(6, 5, std::vector<double>(462, 0.5)), "");
}

// Central differences with h = 1e-6: truncation ~h^2 |p'''| and rounding ~1e-16 |p| / h are
// both below 1e-8 for these coefficients and points; a wrong exponent is an O(1) error.
TEST(MultivariatePolynomial, GradientMatchesCentralDifferences) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int d = 1; d <= 6; ++d) {
    for (int order = 0; order <= 5; ++order) {
      std::vector<double> c(MultivariatePolynomial::coefficient_count(d, order));
      for (double& ci : c) ci = u(rng);
      const auto p = MultivariatePolynomial::make(d, order, c);
      double x[6], g[6];
      for (double& xi : x) xi = u(rng);
      const double v = p.value(x, g);
      EXPECT_NEAR(v, p.value(x), 1e-14 * std::max(1.0, std::abs(v)));
      for (int j = 0; j < d; ++j) {
        const double h = 1e-6;
        double xp[6], xm[6];
        std::copy(x, x + 6, xp), std::copy(x, x + 6, xm);
        xp[j] += h, xm[j] -= h;
        const double fd = (p.value(xp) - p.value(xm)) / (2.0 * h);
        EXPECT_NEAR(g[j], fd, 1e-8 * std::max(1.0, std::abs(fd))) << "d=" << d << " order=" << order << " j=" << j;
      }
      const long double xl[6] = {x[0], x[1], x[2], x[3], x[4], x[5]};
      EXPECT_NEAR(static_cast<double>(p.value(xl)), v, 1e-13 * std::max(1.0, std::abs(v)));
    }
  }
}

// One FunctionBasedPath of subject_walk_scaled_FunctionBasedPathSet.xml.
struct PolynomialPath {
  std::string muscle;                    // "addbrev_r" from "/forceset/addbrev_r"
  std::vector<std::string> coordinates;  // last segments of coordinate_paths
  MultivariatePolynomial length;
};

std::vector<PolynomialPath> read_polynomial_paths() {
  const auto file = test::opensim_file("Moco/example3DWalking/subject_walk_scaled_FunctionBasedPathSet.xml");
  pugi::xml_document doc;
  if (!doc.load_file(file.c_str())) throw std::runtime_error("cannot read " + file.string());
  std::vector<PolynomialPath> paths;
  for (const pugi::xpath_node& node : doc.select_nodes("//FunctionBasedPath")) {
    PolynomialPath path;
    const std::string name = node.node().attribute("name").value();
    path.muscle = name.substr(name.rfind('/') + 1);
    std::istringstream coords(node.node().child_value("coordinate_paths"));
    for (std::string c; coords >> c;) path.coordinates.push_back(c.substr(c.rfind('/') + 1));
    const pugi::xml_node f = node.node().child("length_function").child("MultivariatePolynomialFunction");
    std::istringstream numbers(f.child_value("coefficients"));
    std::vector<double> coefficients;
    for (double c; numbers >> c;) coefficients.push_back(c);
    path.length = MultivariatePolynomial::make(std::stoi(f.child_value("dimension")),
                                               std::stoi(f.child_value("order")), coefficients);
    paths.push_back(std::move(path));
  }
  return paths;
}

TEST(MultivariatePolynomial, MocoWalkingPathLengthsArePlausibleAtTheDefaultPose) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const std::vector<PolynomialPath> paths = read_polynomial_paths();
  ASSERT_EQ(paths.size(), 80u);
  for (const PolynomialPath& path : paths) {
    const std::vector<double> zero(path.length.dimension, 0.0);
    std::vector<double> gradient(path.length.dimension);
    const double length = path.length.value(zero.data(), gradient.data());
    EXPECT_GT(length, 0.05) << path.muscle;
    EXPECT_LT(length, 0.65) << path.muscle;  // the longest is sartorius, 0.602 m
    EXPECT_EQ(length, path.length.coefficients[0]) << path.muscle;
  }
}

// The polynomials of the FunctionBasedPathSet were fitted (Moco's PolynomialPathFitter) to the
// geometry paths of subject_walk_scaled.osim. Over the walking motion of coordinates.sto,
// each polynomial, evaluated with OpenSim's coefficient order, must give the length femur's
// GeometryPath computes on that model, to the fit's accuracy, and its gradient must be minus
// the moment arms (-dL/dq). Any other coefficient order puts cross terms on the wrong
// coordinates and misses by centimetres.
//
// Measured (every 10th of 1350 frames, 80 paths): 70 paths within 0.7 mm, moment arms within
// 3.6 mm (glmax1 about hip flexion). Two groups differ, by an offset that hardly moves:
// the toe muscles (ehl 23 mm, fhl 18 mm, edl 12 mm, fdl -1.9 mm; constant to 0.1 mm) cross the
// mtp and subtalar joints, which this model welds (README.txt): the fit was evidently made
// with another foot posture; gaslat is 2.3-2.9 mm shorter in the polynomial where one of
// its two cylinders wraps, and between 2.9 mm shorter and 3.3 mm longer where both do (spread
// 6.1 mm; gasmed, which never wraps both here, is within 0.1 mm). With both cylinders femur
// reproduces OpenSim 4.6's length, whose straight parts keep the tangent points of the first
// wrapping pass (docs/validation.md; MuscleAnalysis of the Rajagopal-family walk to 9e-6 m);
// the polynomial follows the path without that effect (femur's length before it: 1.6-3.7 mm
// longer, spread 1.5 mm), so its lengths were not made by the same computation.
// The bounds below are those figures with a margin of about 1.5x. Read with the other
// convention (first variable's exponent fastest, i.e. the variables reversed), the same
// coefficients miss the multi-coordinate paths by centimetres; the test checks that too.
TEST(MultivariatePolynomial, MocoWalkingPolynomialPathsMatchTheGeometryPathsTheyWereFittedTo) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  const std::vector<PolynomialPath> paths = read_polynomial_paths();
  const Model model = io::read_osim(test::opensim_file("Moco/example3DWalking/subject_walk_scaled.osim"));
  const PathSet& path_set = model.paths;
  Data data(model);
  PathData out(model, path_set);
  const io::Table motion = io::read_sto(test::opensim_file("Moco/example3DWalking/coordinates.sto"));
  ASSERT_FALSE(motion.in_degrees);

  struct Resolved {
    int path = -1;
    std::vector<int> coordinates;
    double min_error = 1e9, max_error = -1e9;  // polynomial minus geometry (m)
  };
  std::vector<Resolved> resolved;
  for (const PolynomialPath& p : paths) {
    Resolved r;
    r.path = path_set.path_index(p.muscle);
    ASSERT_GE(r.path, 0) << p.muscle;
    for (const std::string& c : p.coordinates) {
      r.coordinates.push_back(model.coordinate_index(c));
      ASSERT_GE(r.coordinates.back(), 0) << c;
    }
    resolved.push_back(r);
  }
  std::vector<int> column(model.coordinates.size(), -1);
  for (std::size_t k = 0; k < model.coordinates.size(); ++k)
    column[k] = motion.column(model.coordinates[k].name);

  auto is_offset = [](const std::string& muscle) {
    for (const char* m : {"ehl_", "fhl_", "edl_", "fdl_", "gaslat_"})
      if (muscle.rfind(m, 0) == 0) return true;
    return false;
  };
  double worst_arm = 0.0, worst_reversed = 0.0;
  std::string worst_arm_what;
  Eigen::VectorXd q = Eigen::VectorXd::Zero(model.nq);
  for (int row = 0; row < motion.rows(); row += 10) {
    for (std::size_t k = 0; k < model.coordinates.size(); ++k)
      q[k] = column[k] >= 0 ? motion.data(row, column[k]) : model.coordinates[k].default_value;
    apply_couplers(model, q);
    compute_paths(model, path_set, data, q, out);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const PolynomialPath& p = paths[i];
      Resolved& r = resolved[i];
      double x[6], g[6];
      for (int j = 0; j < p.length.dimension; ++j) x[j] = q[r.coordinates[j]];
      const double error = p.length.value(x, g) - out.length[r.path];
      r.min_error = std::min(r.min_error, error);
      r.max_error = std::max(r.max_error, error);
      if (!is_offset(p.muscle)) {
        double reversed[6];
        for (int j = 0; j < p.length.dimension; ++j) reversed[j] = x[p.length.dimension - 1 - j];
        worst_reversed = std::max(worst_reversed, std::abs(p.length.value(reversed) - out.length[r.path]));
      }
      for (int j = 0; j < p.length.dimension; ++j) {
        const double arm_error = std::abs(-g[j] - out.moment_arm(r.path, r.coordinates[j]));
        if (arm_error > worst_arm) worst_arm = arm_error, worst_arm_what = p.muscle + " about " + p.coordinates[j];
      }
    }
  }
  double worst_length = 0.0, worst_spread = 0.0;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const Resolved& r = resolved[i];
    const double worst = std::max(std::abs(r.min_error), std::abs(r.max_error));
    const double spread = r.max_error - r.min_error;
    worst_spread = std::max(worst_spread, spread);
    if (is_offset(paths[i].muscle)) {
      std::printf("  %-9s polynomial - geometry in [%.4f, %.4f] m\n", paths[i].muscle.c_str(), r.min_error, r.max_error);
      EXPECT_LT(worst, 0.035) << paths[i].muscle;
    } else {
      worst_length = std::max(worst_length, worst);
      EXPECT_LT(worst, 1e-3) << paths[i].muscle;
    }
    EXPECT_LT(spread, paths[i].muscle.rfind("gaslat_", 0) == 0 ? 7e-3 : 2.2e-3) << paths[i].muscle;
  }
  std::printf("polynomial vs geometry path: length within %.2g m (70 paths), spread within %.2g m "
              "(all 80), moment arms within %.2g m (%s); variables reversed: %.2g m\n",
              worst_length, worst_spread, worst_arm, worst_arm_what.c_str(), worst_reversed);
  EXPECT_LT(worst_arm, 5e-3);
  EXPECT_GT(worst_reversed, 0.01);
}

}  // namespace
}  // namespace femur
