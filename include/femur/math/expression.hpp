// An arithmetic expression of named variables in Lepton's syntax, the language of OpenSim's
// ExpressionBasedCoordinateForce `<expression>` (e.g. `-2.44*exp(5.05*(q-1.81))-1.0*qdot`).
// Parsed and checked once into a flat postfix program; evaluation walks that program with a
// fixed-size stack on the C++ stack, so it allocates nothing and works for any scalar type
// with the usual operators and math functions found by ADL (double, dual numbers).
//
// Syntax and meaning follow Lepton as vendored by opensim-core (Vendors/lepton/src/Parser.cpp,
// include/lepton/Operation.h, src/Operation.cpp): numbers (`2`, `.5`, `1e-3`), variables,
// `+ - * /` left-associative, `^` right-associative and binding tighter than unary minus
// (`-2^2` is -4, `2^3^2` is 512), unary minus binding tighter than `*` and `/`, parentheses,
// and Lepton's built-in functions: sqrt exp log sin cos sec csc tan cot asin acos atan sinh
// cosh tanh erf erfc step delta square cube recip (one argument) and min max (two).
// step(x) is 1 for x >= 0; delta(x) is 1 for x == 0; both have derivative 0, as in Lepton.
// Lepton has no `pow` function (powers are `^`) and neither has this class. Whitespace
// between tokens is ignored (OpenSim strips it from the expression before parsing).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace femur {

class Expression {
 public:
  // Evaluation stack slots; parse() rejects expressions that need more.
  static constexpr int kMaxStackDepth = 32;

  Expression();  // the constant 0, text "0", no variables

  // Parses `text` in which the names in `variables` may appear; evaluate() then reads
  // values[i] for variables[i]. Throws std::invalid_argument("column N: what is wrong")
  // (N counted from 1) for an empty expression, an unknown variable or function, a wrong
  // number of function arguments, unbalanced parentheses, a malformed number, text after a
  // complete expression, or an expression too deep for the evaluation stack.
  static Expression parse(std::string_view text, const std::vector<std::string>& variables);

  // Value at values[0 .. variable_count()-1]. T is double or any type with arithmetic,
  // comparisons, construction from double and sqrt/exp/.../pow found by ADL (ceres::Jet).
  template <class T>
  T evaluate(const T* values) const;

  // Value and its gradient with respect to every variable (gradient has variable_count()
  // entries), by forward-mode differentiation of the same program: exact to rounding,
  // Lepton's derivatives where the function has a kink (abs, min, max, step, delta).
  double evaluate(const double* values, double* gradient) const;

  const std::string& text() const { return text_; }
  int variable_count() const { return variable_count_; }
  int stack_depth() const { return stack_depth_; }
  // Whether variable i appears in the expression (after constants are folded).
  bool uses_variable(int i) const;

 private:
  enum class Op : std::uint8_t {
    Constant, Variable,
    Add, Subtract, Multiply, Divide, Power, Min, Max,               // two arguments
    Negate, PowerInt, PowerConst,                                    // one argument + payload
    Sqrt, Exp, Log, Sin, Cos, Sec, Csc, Tan, Cot, Asin, Acos, Atan,  // one argument
    Sinh, Cosh, Tanh, Erf, Erfc, Step, Delta, Square, Cube, Recip, Abs,
  };
  struct Instruction {
    Op op = Op::Constant;
    int index = 0;          // Variable: which variable; PowerInt: the exponent
    double constant = 0.0;  // Constant: the value; PowerConst: the exponent
  };
  friend class ExpressionCompiler;

  template <class T, class Load>
  T run(const Load& load) const;

  std::string text_;
  std::vector<Instruction> program_;
  int variable_count_ = 0;
  int stack_depth_ = 0;
};

namespace expression_detail {
// A constant as T: T(c), or through the value type of a nested dual number (a ceres::Jet of
// Jets, which constructs only from its own value type).
template <class T>
T lift(double c) {
  if constexpr (std::is_constructible_v<T, double>)
    return T(c);
  else
    return T(lift<decltype(T::a)>(c));
}
// x^n for an integer n by repeated squaring, as Lepton's PowerConstant evaluates integer
// powers (include/lepton/Operation.h); x^-n = (1/x)^n.
template <class T>
T integer_power(T base, int exponent) {
  if (exponent < 0) {
    exponent = -exponent;
    base = expression_detail::lift<T>(1.0) / base;
  }
  T result = expression_detail::lift<T>(1.0);
  while (exponent != 0) {
    if (exponent & 1) result = result * base;
    exponent >>= 1;
    if (exponent != 0) base = base * base;
  }
  return result;
}
}  // namespace expression_detail

template <class T, class Load>
T Expression::run(const Load& load) const {
  using std::acos, std::asin, std::atan, std::cos, std::cosh, std::erf, std::erfc, std::exp,
      std::log, std::pow, std::sin, std::sinh, std::sqrt, std::tan, std::tanh;
  std::array<T, kMaxStackDepth> stack;
  int top = -1;
  for (const Instruction& in : program_) {
    if (in.op == Op::Constant) {
      stack[++top] = expression_detail::lift<T>(in.constant);
      continue;
    }
    if (in.op == Op::Variable) {
      stack[++top] = load(in.index);
      continue;
    }
    if (in.op <= Op::Max) {  // binary: a (below) op b (top)
      const T& b = stack[top];
      T& a = stack[top - 1];
      switch (in.op) {
        case Op::Add: a = a + b; break;
        case Op::Subtract: a = a - b; break;
        case Op::Multiply: a = a * b; break;
        case Op::Divide: a = a / b; break;
        case Op::Power: a = pow(a, b); break;
        // Lepton: min/max value std::min/std::max; derivative of the second argument when
        // a >= b for min and of the first when a >= b for max (src/Operation.cpp).
        case Op::Min: a = (a >= b) ? T(b) : T(a); break;
        case Op::Max: a = (a >= b) ? T(a) : T(b); break;
        default: break;
      }
      --top;
      continue;
    }
    T& x = stack[top];
    switch (in.op) {
      case Op::Negate: x = -x; break;
      case Op::PowerInt: x = expression_detail::integer_power(x, in.index); break;
      case Op::PowerConst: x = pow(x, in.constant); break;
      case Op::Sqrt: x = sqrt(x); break;
      case Op::Exp: x = exp(x); break;
      case Op::Log: x = log(x); break;
      case Op::Sin: x = sin(x); break;
      case Op::Cos: x = cos(x); break;
      case Op::Sec: x = expression_detail::lift<T>(1.0) / cos(x); break;
      case Op::Csc: x = expression_detail::lift<T>(1.0) / sin(x); break;
      case Op::Tan: x = tan(x); break;
      case Op::Cot: x = expression_detail::lift<T>(1.0) / tan(x); break;
      case Op::Asin: x = asin(x); break;
      case Op::Acos: x = acos(x); break;
      case Op::Atan: x = atan(x); break;
      case Op::Sinh: x = sinh(x); break;
      case Op::Cosh: x = cosh(x); break;
      case Op::Tanh: x = tanh(x); break;
      case Op::Erf: x = erf(x); break;
      case Op::Erfc: x = erfc(x); break;
      case Op::Step: x = expression_detail::lift<T>((x >= expression_detail::lift<T>(0.0)) ? 1.0 : 0.0); break;
      case Op::Delta: x = expression_detail::lift<T>((x == expression_detail::lift<T>(0.0)) ? 1.0 : 0.0); break;
      case Op::Square: x = x * x; break;
      case Op::Cube: x = x * x * x; break;
      case Op::Recip: x = expression_detail::lift<T>(1.0) / x; break;
      // Lepton: derivative 2 step(x) - 1, so +1 at x = 0.
      case Op::Abs: x = (x >= expression_detail::lift<T>(0.0)) ? T(x) : T(-x); break;
      default: break;
    }
  }
  return stack[0];
}

template <class T>
T Expression::evaluate(const T* values) const {
  return run<T>([values](int i) -> T { return values[i]; });
}

}  // namespace femur
