// Tests of femur::Expression: Lepton's precedence and associativity (opensim-core
// Vendors/lepton/src/Parser.cpp), every built-in function against <cmath>, gradients against
// central differences, every ExpressionBasedCoordinateForce of Moco's example3DWalking model
// against the same formula written in C++ and against values computed independently
// (Python's math module), and the column of every parse error.
#include "femur/math/expression.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_data.hpp"

namespace femur {
namespace {

double eval(const std::string& text, const std::vector<std::string>& names = {},
            const std::vector<double>& values = {}) {
  return Expression::parse(text, names).evaluate(values.data());
}

// The message of the std::invalid_argument that parse() throws ("" if it does not throw).
std::string parse_error(const std::string& text, const std::vector<std::string>& names = {"q", "qdot"}) {
  try {
    Expression::parse(text, names);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Expression, NumbersInEveryLeptonForm) {
  EXPECT_EQ(eval("42"), 42.0);
  EXPECT_EQ(eval("2.5"), 2.5);
  EXPECT_EQ(eval(".5"), 0.5);
  EXPECT_EQ(eval("5."), 5.0);
  EXPECT_EQ(eval("1e-3"), 1e-3);
  EXPECT_EQ(eval("2.5E+2"), 250.0);
  EXPECT_EQ(eval("1e3"), 1000.0);
  EXPECT_EQ(eval(" 7 "), 7.0);
}

TEST(Expression, PrecedenceFollowsLepton) {
  EXPECT_EQ(eval("1+2*3"), 7.0);
  EXPECT_EQ(eval("(1+2)*3"), 9.0);
  EXPECT_EQ(eval("2*3^2"), 18.0);
  EXPECT_EQ(eval("2^3*2"), 16.0);
  EXPECT_EQ(eval("6/2*3"), 9.0);
  EXPECT_EQ(eval("1+6/2-1"), 3.0);
  // Unary minus binds tighter than * and / but looser than ^ (Lepton parses its operand at
  // precedence 2, between * (1) and ^ (3)).
  EXPECT_EQ(eval("-2^2"), -4.0);
  EXPECT_EQ(eval("(-2)^2"), 4.0);
  EXPECT_EQ(eval("-2*3"), -6.0);
  EXPECT_EQ(eval("2*-3"), -6.0);
  EXPECT_EQ(eval("2^-1"), 0.5);
  EXPECT_EQ(eval("--3"), 3.0);
  EXPECT_EQ(eval("1-(-1)"), 2.0);
  EXPECT_EQ(eval("1--1"), 2.0);
  EXPECT_EQ(eval("-x^2", {"x"}, {3.0}), -9.0);
  EXPECT_EQ(eval("-x*y", {"x", "y"}, {3.0, 2.0}), -6.0);
}

TEST(Expression, AssociativityFollowsLepton) {
  EXPECT_EQ(eval("10-4-3"), 3.0);                        // left
  EXPECT_EQ(eval("16/4/2"), 2.0);                        // left
  EXPECT_EQ(eval("2^3^2"), 512.0);                       // right: 2^(3^2)
  EXPECT_EQ(eval("(2^3)^2"), 64.0);
  EXPECT_EQ(eval("x-y-z", {"x", "y", "z"}, {10, 4, 3}), 3.0);
  EXPECT_EQ(eval("x/y/z", {"x", "y", "z"}, {16, 4, 2}), 2.0);
  EXPECT_EQ(eval("x^y^z", {"x", "y", "z"}, {2, 3, 2}), 512.0);
}

TEST(Expression, VariablesAreReadByPosition) {
  const Expression e = Expression::parse("a*10+b - c", {"a", "b", "c"});
  const double v[] = {1.0, 2.0, 4.0};
  EXPECT_EQ(e.evaluate(v), 8.0);
  EXPECT_EQ(e.variable_count(), 3);
  EXPECT_EQ(e.text(), "a*10+b - c");
  // Names follow Lepton: anything up to an operator, comma, parenthesis or white space.
  EXPECT_EQ(eval("x_1+x.2", {"x_1", "x.2"}, {1.0, 2.0}), 3.0);
  EXPECT_FALSE(Expression::parse("2*q", {"q", "qdot"}).uses_variable(1));
}

TEST(Expression, DefaultIsTheConstantZero) {
  const Expression e;
  EXPECT_EQ(e.evaluate<double>(nullptr), 0.0);
  EXPECT_EQ(e.text(), "0");
}

// Every Lepton built-in, at a variable (evaluated by the program) and as a constant (folded
// at parse time), against the <cmath> formula Lepton evaluates (include/lepton/Operation.h).
TEST(Expression, EveryLeptonFunctionMatchesItsDefinition) {
  struct Case {
    std::string name;
    double x;
    double expected;
  };
  const std::vector<Case> cases = {
      {"sqrt", 2.3, std::sqrt(2.3)},    {"exp", -0.7, std::exp(-0.7)},
      {"log", 2.3, std::log(2.3)},      {"sin", 0.9, std::sin(0.9)},
      {"cos", 0.9, std::cos(0.9)},      {"sec", 0.9, 1.0 / std::cos(0.9)},
      {"csc", 0.9, 1.0 / std::sin(0.9)}, {"tan", 0.9, std::tan(0.9)},
      {"cot", 0.9, 1.0 / std::tan(0.9)}, {"asin", 0.3, std::asin(0.3)},
      {"acos", 0.3, std::acos(0.3)},    {"atan", 1.7, std::atan(1.7)},
      {"sinh", 0.8, std::sinh(0.8)},    {"cosh", 0.8, std::cosh(0.8)},
      {"tanh", 0.8, std::tanh(0.8)},    {"erf", 0.6, std::erf(0.6)},
      {"erfc", 0.6, std::erfc(0.6)},    {"step", -0.1, 0.0},
      {"step", 0.0, 1.0},               {"step", 2.0, 1.0},
      {"delta", 0.0, 1.0},              {"delta", 0.1, 0.0},
      {"square", -1.5, 2.25},           {"cube", -1.5, -3.375},
      {"recip", 4.0, 0.25},             {"abs", -1.25, 1.25},
      {"abs", 1.25, 1.25},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name + "(" + std::to_string(c.x) + ")");
    EXPECT_DOUBLE_EQ(eval(c.name + "(x)", {"x"}, {c.x}), c.expected);
    char literal[64];
    std::snprintf(literal, sizeof literal, "%.17g", c.x);
    EXPECT_DOUBLE_EQ(eval(c.name + "(" + literal + ")"), c.expected);
  }
  EXPECT_EQ(eval("min(x,y)", {"x", "y"}, {2.0, -3.0}), -3.0);
  EXPECT_EQ(eval("min(x,y)", {"x", "y"}, {-2.0, 3.0}), -2.0);
  EXPECT_EQ(eval("max(x,y)", {"x", "y"}, {2.0, -3.0}), 2.0);
  EXPECT_EQ(eval("max(x,y)", {"x", "y"}, {-2.0, 3.0}), 3.0);
  EXPECT_EQ(eval("max(1, 2)"), 2.0);
  EXPECT_EQ(eval("x^y", {"x", "y"}, {2.0, 0.5}), std::sqrt(2.0));
  EXPECT_EQ(eval("x^2.5", {"x"}, {2.0}), std::pow(2.0, 2.5));
  EXPECT_EQ(eval("x^3", {"x"}, {-2.0}), -8.0);
  EXPECT_EQ(eval("x^-2", {"x"}, {-2.0}), 0.25);
  EXPECT_EQ(eval("x^0", {"x"}, {5.0}), 1.0);
  EXPECT_EQ(eval("sin(x)^2+cos(x)^2", {"x"}, {0.3}), std::pow(std::sin(0.3), 2) + std::pow(std::cos(0.3), 2));
}

TEST(Expression, EvaluatesInAnyScalarType) {
  const Expression e = Expression::parse("exp(-x)*sin(3*x)+x^2/(1+y)", {"x", "y"});
  const long double vl[] = {0.4L, 1.5L};
  const float vf[] = {0.4f, 1.5f};
  const double vd[] = {0.4, 1.5};
  const double expected = std::exp(-0.4) * std::sin(1.2) + 0.16 / 2.5;
  EXPECT_NEAR(static_cast<double>(e.evaluate(vl)), expected, 1e-15);
  EXPECT_NEAR(e.evaluate(vf), expected, 1e-6);
  EXPECT_NEAR(e.evaluate(vd), expected, 1e-15);
}

// Central differences with step h: truncation O(h^2 f''') and rounding ~1e-16 |f| / h. The
// bound is 1e-7 of the derivative plus 4e-16 |f| / h (the rounding, which dominates where an
// exponential makes |f| huge and the derivative along another variable small); a wrong
// derivative rule is an O(1) error.
void expect_gradient_matches_differences(const Expression& e, std::vector<double> x) {
  std::vector<double> gradient(x.size());
  const double value = e.evaluate(x.data(), gradient.data());
  EXPECT_EQ(value, e.evaluate(x.data()));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[i]));
    std::vector<double> plus = x, minus = x;
    plus[i] += h;
    minus[i] -= h;
    const double fd = (e.evaluate(plus.data()) - e.evaluate(minus.data())) / (2.0 * h);
    EXPECT_NEAR(gradient[i], fd, 1e-7 * std::max(1.0, std::abs(fd)) + 4e-16 * std::abs(value) / h)
        << e.text() << " d/dx" << i;
  }
}

TEST(Expression, GradientOfEveryFunctionMatchesCentralDifferences) {
  const std::vector<std::string> names = {"x", "y"};
  for (const char* text :
       {"sqrt(x)", "exp(x)", "log(x)", "sin(x)", "cos(x)", "sec(x)", "csc(x)", "tan(x)",
        "cot(x)", "asin(x/3)", "acos(x/3)", "atan(x)", "sinh(x)", "cosh(x)", "tanh(x)", "erf(x)",
        "erfc(x)", "square(x)", "cube(x)", "recip(x)", "abs(x-2)", "min(x,y)", "max(x,y)",
        "x^y", "x^3", "x^-2", "x^2.5", "y^x", "x*y-x/y", "-x^2*y", "2^x", "step(x)*y",
        "delta(x)+y", "x^y^0.5", "(x+y)^(x-y)"}) {
    expect_gradient_matches_differences(Expression::parse(text, names), {0.9, 1.7});
    expect_gradient_matches_differences(Expression::parse(text, names), {1.3, 0.4});
  }
  // A negative base with a constant exponent has a finite derivative.
  expect_gradient_matches_differences(Expression::parse("x^3+x^-1", names), {-1.3, 0.0});
}

TEST(Expression, GradientAtKinksIsLeptons) {
  // Lepton (src/Operation.cpp): abs' = 2 step(x) - 1, min' picks the second argument and
  // max' the first when they are equal, step' = delta' = 0.
  const Expression abs = Expression::parse("abs(x)", {"x"});
  double x = 0.0, g = 0.0;
  abs.evaluate(&x, &g);
  EXPECT_EQ(g, 1.0);
  const Expression min = Expression::parse("min(x,2*y)", {"x", "y"});
  const Expression max = Expression::parse("max(x,2*y)", {"x", "y"});
  const double tie[] = {2.0, 1.0};
  double gmin[2], gmax[2];
  EXPECT_EQ(min.evaluate(tie, gmin), 2.0);
  EXPECT_EQ(max.evaluate(tie, gmax), 2.0);
  EXPECT_EQ(gmin[0], 0.0);
  EXPECT_EQ(gmin[1], 2.0);
  EXPECT_EQ(gmax[0], 1.0);
  EXPECT_EQ(gmax[1], 0.0);
  const Expression step = Expression::parse("step(x)+delta(x)", {"x"});
  x = 0.0;
  EXPECT_EQ(step.evaluate(&x, &g), 2.0);
  EXPECT_EQ(g, 0.0);
}

TEST(Expression, ParseErrorsNameTheColumnAndTheCause) {
  EXPECT_EQ(parse_error(""), "column 1: empty expression");
  EXPECT_EQ(parse_error("   "), "column 1: empty expression");
  EXPECT_EQ(parse_error("q+r"), "column 3: unknown variable 'r' (variables: q qdot)");
  EXPECT_EQ(parse_error("x", {}), "column 1: unknown variable 'x' (the expression has no variables)");
  EXPECT_EQ(parse_error("2*foo(q)"), "column 3: unknown function 'foo'");
  EXPECT_EQ(parse_error("pow(q,2)"), "column 1: unknown function 'pow'");
  EXPECT_EQ(parse_error("(q+1"), "column 1: unbalanced parentheses: '(' is never closed");
  EXPECT_EQ(parse_error("exp(q"), "column 4: unbalanced parentheses: '(' is never closed");
  EXPECT_EQ(parse_error("q+1)"), "column 4: unbalanced parentheses: ')' without a matching '('");
  EXPECT_EQ(parse_error("(q))"), "column 4: unbalanced parentheses: ')' without a matching '('");
  EXPECT_EQ(parse_error("(q 1)"), "column 4: expected ')' or an operator but found '1'");
  EXPECT_EQ(parse_error("q 2"), "column 3: unexpected '2' after a complete expression");
  EXPECT_EQ(parse_error("2q"), "column 2: unexpected 'q' after a complete expression");
  EXPECT_EQ(parse_error("1.5e3.2"), "column 6: unexpected '.2' after a complete expression");
  EXPECT_EQ(parse_error("q+"), "column 3: expression ends where a value is expected");
  EXPECT_EQ(parse_error("q*/2"), "column 3: expected a number, variable, function or '(' but found '/'");
  EXPECT_EQ(parse_error("+q"), "column 1: expected a number, variable, function or '(' but found '+'");
  EXPECT_EQ(parse_error("()"), "column 2: expected a number, variable, function or '(' but found ')'");
  EXPECT_EQ(parse_error("min(q)"), "column 1: min takes 2 arguments, found 1");
  EXPECT_EQ(parse_error(" sin(q,qdot)"), "column 2: sin takes 1 argument, found 2");
  EXPECT_EQ(parse_error("1e"), "column 1: malformed number '1e'");
  EXPECT_EQ(parse_error("q*1e+"), "column 3: malformed number '1e+'");
}

TEST(Expression, RejectsWhatItCannotEvaluateWithoutAllocating) {
  // q+(q+(q+...)) needs one stack slot per level.
  std::string deep = "q";
  for (int i = 0; i < 40; ++i) deep = "q+(" + deep + ")";
  EXPECT_EQ(parse_error(deep), "column 1: expression needs 41 evaluation stack slots, more than the 32 supported");
  std::string ok = "q";
  for (int i = 0; i < 31; ++i) ok = "q+(" + ok + ")";
  const double q[] = {1.0, 0.0};
  EXPECT_EQ(Expression::parse(ok, {"q", "qdot"}).evaluate(q), 32.0);
  EXPECT_EQ(Expression::parse(ok, {"q", "qdot"}).stack_depth(), 32);
  // Long left-associative sums stay shallow.
  std::string sum = "q";
  for (int i = 0; i < 500; ++i) sum += "+q";
  EXPECT_EQ(Expression::parse(sum, {"q", "qdot"}).evaluate(q), 501.0);
  // Nesting is bounded before it can exhaust the parser's own stack.
  const std::string parens = std::string(300, '(') + "1" + std::string(300, ')');
  EXPECT_EQ(parse_error(parens), "column 202: expression nested more than 200 levels deep");
  EXPECT_THROW(Expression::parse("q", {"q", "q"}), std::invalid_argument);
  EXPECT_THROW(Expression::parse("q", {"q", ""}), std::invalid_argument);
}

// Every ExpressionBasedCoordinateForce of Moco's example3DWalking model (Rajagopal 2016 with
// Uhlrich 2022 passive torques): the expression parsed from the file equals the same formula
// written in C++, to rounding, over each coordinate's range of motion and speeds.
TEST(Expression, MocoWalkingPassiveTorquesMatchTheirFormulas) {
  FEMUR_REQUIRE_OPENSIM_DATA();
  using Formula = std::function<double(double, double)>;
  const std::map<std::string, Formula> formulas = {
      {"PassiveShoulderDampingX", [](double q, double u) { return -2.44 * std::exp(5.05 * (q - 1.81)) + 1.51 * std::exp(-11.88 * (q + 0.50)) - 1.0 * u; }},
      {"PassiveShoulderDampingY", [](double q, double u) { return -15.03 * std::exp(20.94 * (q - 0.10)) + 5.03 * std::exp(-14.93 * (q + 1.57)) - 1.0 * u; }},
      {"PassiveShoulderDampingZ", [](double q, double u) { return -0.43 * std::exp(14.94 * (q - 0.15)) + 0.43 * std::exp(-14.93 * (q + 0.15)) - 1.0 * u; }},
      {"PassiveElbowDamping", [](double q, double u) { return 6.09 * std::exp(-6.94 * (q - 0.30)) - 11.03 * std::exp(11.33 * (q - 2.40)) - 1.0 * u; }},
      {"PassiveHipDampingX", [](double q, double u) { return -2.44 * std::exp(5.05 * (q - 1.81)) + 1.51 * std::exp(-21.88 * (q + 0.47)) - 0.1 * u; }},
      {"PassiveHipDampingY", [](double q, double u) { return -0.03 * std::exp(14.94 * (q - 0.50)) + 0.03 * std::exp(-14.94 * (q + 0.50)) - 0.1 * u; }},
      {"PassiveHipDampingZ", [](double q, double u) { return -0.03 * std::exp(14.94 * (q - 0.92)) + 0.03 * std::exp(-14.94 * (q + 0.92)) - 0.1 * u; }},
      {"PassiveKneeDamping", [](double q, double u) { return 6.09 * std::exp(33.94 * (-q - 0.13)) - 11.03 * std::exp(-11.33 * (-q + 2.40)) - 0.1 * u; }},
      {"PassiveAnkleDamping", [](double q, double u) { return -0.1 * u; }},
      {"PassiveToeDamping", [](double q, double u) { return -25.0 * q - 2.0 * u; }},
  };
  const auto file = test::opensim_file("Moco/example3DWalking/subject_walk_scaled_ExpressionBasedCoordinateForceSet.xml");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file(file.c_str())) << file;
  int count = 0;
  for (const pugi::xpath_node& node : doc.select_nodes("//ExpressionBasedCoordinateForce")) {
    const std::string name = node.node().attribute("name").value();
    const std::string text = node.node().child_value("expression");
    SCOPED_TRACE(name + ": " + text);
    const auto formula = formulas.find(name.substr(0, name.size() - 2));  // without _r / _l
    ASSERT_NE(formula, formulas.end());
    const Expression e = Expression::parse(text, {"q", "qdot"});
    for (double q = -1.5; q <= 2.5; q += 0.125) {
      for (double u : {-3.0, 0.0, 1.7}) {
        const double x[] = {q, u};
        const double expected = formula->second(q, u);
        EXPECT_NEAR(e.evaluate(x), expected, 1e-13 * std::max(1.0, std::abs(expected)));
        expect_gradient_matches_differences(e, {q, u});
      }
    }
    ++count;
  }
  EXPECT_EQ(count, 20);
}

// Values computed independently of this code (Python 3, math.exp) at chosen states.
TEST(Expression, MocoWalkingPassiveTorquesAtHandComputedStates) {
  const std::vector<std::string> names = {"q", "qdot"};
  const Expression knee = Expression::parse("6.09*exp(33.94*(-q-0.13))-11.03*exp(-11.33*(-q+2.40))-0.1*qdot", names);
  const Expression shoulder_x = Expression::parse("-2.44*exp(5.05*(q-1.81))+1.51*exp(-11.88*(q+0.50))-1.0*qdot", names);
  const Expression shoulder_y = Expression::parse("-15.03*exp(20.94*(q-0.10))+5.03*exp(-14.93*(q+1.57))-1.0*qdot", names);
  const Expression toe = Expression::parse("-25.0*q-2.0*qdot", names);
  auto at = [](const Expression& e, double q, double u) {
    const double x[] = {q, u};
    return e.evaluate(x);
  };
  EXPECT_NEAR(at(knee, -0.2, 0.5), 65.47607019660848, 1e-12);
  EXPECT_NEAR(at(knee, 1.2, -2.0), 0.19998626249901777, 1e-14);
  EXPECT_NEAR(at(knee, 2.5, 0.3), -34.27768027664334, 1e-12);
  EXPECT_NEAR(at(shoulder_x, -0.6, 0.25), 4.703562916475129, 1e-13);
  EXPECT_NEAR(at(shoulder_y, 0.2, -1.0), -121.00331344683649, 1e-11);
  EXPECT_NEAR(at(toe, 0.3, -0.7), -6.1, 1e-14);
  // d/dq of the knee torque at q = -0.2: -33.94*6.09*exp(33.94*(0.07)) - 11.33*11.03*exp(-11.33*2.6).
  const double x[] = {-0.2, 0.5};
  double g[2];
  knee.evaluate(x, g);
  EXPECT_NEAR(g[0], -33.94 * 6.09 * std::exp(33.94 * 0.07) - 11.33 * 11.03 * std::exp(-11.33 * 2.6), 1e-10);
  EXPECT_EQ(g[1], -0.1);
}

}  // namespace
}  // namespace femur
