// Parsing of Lepton expressions into femur::Expression's postfix program, and the
// forward-mode gradient. Grammar and precedence as Lepton's Parser::parsePrecedence
// (opensim-core Vendors/lepton/src/Parser.cpp): + - (0) < * / (1) < unary minus (2) < ^ (3,
// right-associative); written here as a recursive precedence climb over a token list.
#include "femur/math/expression.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace femur {

namespace {

constexpr std::string_view kOperators = "+-*/^";
// Deeper nesting than this is rejected before it can exhaust the C++ stack of the parser.
constexpr int kMaxNesting = 200;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Lepton: a name runs until an operator, a comma, a parenthesis or white space.
bool ends_name(char c) {
  return kOperators.find(c) != std::string_view::npos || c == ',' || c == '(' || c == ')' || is_space(c);
}

enum class TokenKind { Number, Name, Operator, LeftParen, RightParen, Comma };

struct Token {
  TokenKind kind;
  std::string_view text;
  int column;  // 1-based
};

[[noreturn]] void fail(int column, const std::string& what) {
  throw std::invalid_argument("column " + std::to_string(column) + ": " + what);
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    const int column = static_cast<int>(pos) + 1;
    if (is_space(c)) {
      ++pos;
    } else if (c == '(') {
      tokens.push_back({TokenKind::LeftParen, text.substr(pos, 1), column}), ++pos;
    } else if (c == ')') {
      tokens.push_back({TokenKind::RightParen, text.substr(pos, 1), column}), ++pos;
    } else if (c == ',') {
      tokens.push_back({TokenKind::Comma, text.substr(pos, 1), column}), ++pos;
    } else if (kOperators.find(c) != std::string_view::npos) {
      tokens.push_back({TokenKind::Operator, text.substr(pos, 1), column}), ++pos;
    } else if (c == '.' || is_digit(c)) {
      // Lepton's number token: digits with at most one '.' and one exponent, whose sign
      // belongs to the number (1e-3).
      std::size_t end = pos + 1;
      bool decimal = (c == '.'), exponent = false;
      for (; end < text.size(); ++end) {
        const char d = text[end];
        if (is_digit(d)) continue;
        if (d == '.' && !decimal && !exponent) {
          decimal = true;
          continue;
        }
        if ((d == 'e' || d == 'E') && !exponent) {
          exponent = true;
          if (end + 1 < text.size() && (text[end + 1] == '+' || text[end + 1] == '-')) ++end;
          continue;
        }
        break;
      }
      tokens.push_back({TokenKind::Number, text.substr(pos, end - pos), column});
      pos = end;
    } else {
      std::size_t end = pos + 1;
      while (end < text.size() && !ends_name(text[end])) ++end;
      tokens.push_back({TokenKind::Name, text.substr(pos, end - pos), column});
      pos = end;
    }
  }
  return tokens;
}

}  // namespace

// Builds the program of one expression: parses tokens into a tree, folds constant subtrees,
// then writes the tree in postfix order.
class ExpressionCompiler {
 public:
  using Op = Expression::Op;

  ExpressionCompiler(std::string_view text, const std::vector<std::string>& variables)
      : tokens_(tokenize(text)), variables_(variables), text_size_(static_cast<int>(text.size())) {}

  Expression compile(std::string_view text) {
    if (tokens_.empty()) fail(1, "empty expression");
    std::unique_ptr<Node> root = parse(0, 0);
    if (pos_ < tokens_.size()) {
      const Token& t = tokens_[pos_];
      if (t.kind == TokenKind::RightParen) fail(t.column, "unbalanced parentheses: ')' without a matching '('");
      fail(t.column, "unexpected '" + std::string(t.text) + "' after a complete expression");
    }
    fold(*root);
    Expression e;
    e.text_ = std::string(text);
    e.variable_count_ = static_cast<int>(variables_.size());
    e.program_.clear();
    int depth = 0;
    emit(*root, e.program_, depth, e.stack_depth_);
    if (e.stack_depth_ > Expression::kMaxStackDepth)
      fail(1, "expression needs " + std::to_string(e.stack_depth_) +
                  " evaluation stack slots, more than the " +
                  std::to_string(Expression::kMaxStackDepth) + " supported");
    return e;
  }

 private:
  struct Node {
    Op op = Op::Constant;
    int index = 0;
    double constant = 0.0;
    std::unique_ptr<Node> a, b;  // arguments (unary: a only)
  };

  static std::unique_ptr<Node> leaf(Op op, int index, double constant) {
    auto n = std::make_unique<Node>();
    n->op = op, n->index = index, n->constant = constant;
    return n;
  }
  static std::unique_ptr<Node> apply(Op op, std::unique_ptr<Node> a, std::unique_ptr<Node> b = nullptr) {
    auto n = std::make_unique<Node>();
    n->op = op, n->a = std::move(a), n->b = std::move(b);
    return n;
  }

  const Token* peek() const { return pos_ < tokens_.size() ? &tokens_[pos_] : nullptr; }
  int end_column() const { return text_size_ + 1; }

  static int precedence(char op) { return op == '^' ? 3 : (op == '*' || op == '/') ? 1 : 0; }
  static Op binary_op(char op) {
    switch (op) {
      case '+': return Op::Add;
      case '-': return Op::Subtract;
      case '*': return Op::Multiply;
      case '/': return Op::Divide;
      default: return Op::Power;
    }
  }

  // A value followed by binary operators of precedence >= min_precedence.
  std::unique_ptr<Node> parse(int min_precedence, int nesting) {
    if (nesting > kMaxNesting)
      fail(peek() ? peek()->column : end_column(),
           "expression nested more than " + std::to_string(kMaxNesting) + " levels deep");
    std::unique_ptr<Node> lhs = parse_value(nesting);
    while (const Token* t = peek()) {
      if (t->kind != TokenKind::Operator) break;
      const char op = t->text[0];
      const int p = precedence(op);
      if (p < min_precedence) break;
      ++pos_;
      std::unique_ptr<Node> rhs = parse(op == '^' ? p : p + 1, nesting + 1);
      lhs = apply(binary_op(op), std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  std::unique_ptr<Node> parse_value(int nesting) {
    const Token* t = peek();
    if (!t) fail(end_column(), "expression ends where a value is expected");
    switch (t->kind) {
      case TokenKind::Number: {
        double value = 0.0;
        const char* first = t->text.data();
        const char* last = first + t->text.size();
        const auto [end, ec] = std::from_chars(first, last, value);
        if (ec != std::errc() || end != last) fail(t->column, "malformed number '" + std::string(t->text) + "'");
        ++pos_;
        return leaf(Op::Constant, 0, value);
      }
      case TokenKind::Name: {
        ++pos_;
        const Token* next = peek();
        if (next && next->kind == TokenKind::LeftParen) return parse_call(*t, nesting);
        const auto it = std::find(variables_.begin(), variables_.end(), t->text);
        if (it == variables_.end()) fail(t->column, "unknown variable '" + std::string(t->text) + "'" + known_variables());
        return leaf(Op::Variable, static_cast<int>(it - variables_.begin()), 0.0);
      }
      case TokenKind::LeftParen: {
        ++pos_;
        std::unique_ptr<Node> inner = parse(0, nesting + 1);
        expect_close(*t);
        return inner;
      }
      case TokenKind::Operator:
        if (t->text[0] == '-') {
          ++pos_;
          return apply(Op::Negate, parse(2, nesting + 1));
        }
        [[fallthrough]];
      default:
        fail(t->column, "expected a number, variable, function or '(' but found '" + std::string(t->text) + "'");
    }
  }

  void expect_close(const Token& open) {
    const Token* t = peek();
    if (!t) fail(open.column, "unbalanced parentheses: '(' is never closed");
    if (t->kind != TokenKind::RightParen)
      fail(t->column, "expected ')' or an operator but found '" + std::string(t->text) + "'");
    ++pos_;
  }

  // name '(' argument {',' argument} ')'
  std::unique_ptr<Node> parse_call(const Token& name, int nesting) {
    struct Builtin {
      std::string_view name;
      Op op;
      int arguments;
    };
    // Lepton's built-in functions (Vendors/lepton/src/Parser.cpp, getFunctionOperation).
    static constexpr Builtin kBuiltins[] = {
        {"sqrt", Op::Sqrt, 1},   {"exp", Op::Exp, 1},     {"log", Op::Log, 1},
        {"sin", Op::Sin, 1},     {"cos", Op::Cos, 1},     {"sec", Op::Sec, 1},
        {"csc", Op::Csc, 1},     {"tan", Op::Tan, 1},     {"cot", Op::Cot, 1},
        {"asin", Op::Asin, 1},   {"acos", Op::Acos, 1},   {"atan", Op::Atan, 1},
        {"sinh", Op::Sinh, 1},   {"cosh", Op::Cosh, 1},   {"tanh", Op::Tanh, 1},
        {"erf", Op::Erf, 1},     {"erfc", Op::Erfc, 1},   {"step", Op::Step, 1},
        {"delta", Op::Delta, 1}, {"square", Op::Square, 1}, {"cube", Op::Cube, 1},
        {"recip", Op::Recip, 1}, {"min", Op::Min, 2},     {"max", Op::Max, 2},
        {"abs", Op::Abs, 1},
    };
    const Builtin* f = nullptr;
    for (const Builtin& b : kBuiltins)
      if (b.name == name.text) f = &b;
    if (!f) fail(name.column, "unknown function '" + std::string(name.text) + "'");
    const Token& open = *peek();
    ++pos_;
    std::vector<std::unique_ptr<Node>> args;
    args.push_back(parse(0, nesting + 1));
    while (peek() && peek()->kind == TokenKind::Comma) {
      ++pos_;
      args.push_back(parse(0, nesting + 1));
    }
    expect_close(open);
    if (static_cast<int>(args.size()) != f->arguments)
      fail(name.column, std::string(f->name) + " takes " + std::to_string(f->arguments) +
                            (f->arguments == 1 ? " argument" : " arguments") + ", found " +
                            std::to_string(args.size()));
    return apply(f->op, std::move(args[0]), f->arguments == 2 ? std::move(args[1]) : nullptr);
  }

  std::string known_variables() const {
    if (variables_.empty()) return " (the expression has no variables)";
    std::string s = " (variables:";
    for (const std::string& v : variables_) s += " " + v;
    return s + ")";
  }

  // Replaces every subtree without variables by its value (as Lepton's optimize() does), and
  // a power with a constant exponent by PowerInt (integer exponent, repeated squaring as
  // Lepton's PowerConstant) or PowerConst.
  static void fold(Node& n) {
    if (n.a) fold(*n.a);
    if (n.b) fold(*n.b);
    const bool a_const = n.a && n.a->op == Op::Constant;
    const bool b_const = n.b && n.b->op == Op::Constant;
    if (n.a && a_const && (!n.b || b_const)) {
      Expression tiny;
      tiny.program_.clear();
      tiny.program_.push_back({Op::Constant, 0, n.a->constant});
      if (n.b) tiny.program_.push_back({Op::Constant, 0, n.b->constant});
      tiny.program_.push_back({n.op, n.index, n.constant});
      const double value = tiny.evaluate<double>(nullptr);
      n = Node{};
      n.op = Op::Constant, n.constant = value;
      return;
    }
    if (n.op == Op::Power && b_const) {
      const double p = n.b->constant;
      if (p == std::trunc(p) && std::abs(p) <= 1024.0) {
        n.op = Op::PowerInt, n.index = static_cast<int>(p);
      } else {
        n.op = Op::PowerConst, n.constant = p;
      }
      n.b.reset();
    }
  }

  // Postfix order; `depth` is the stack height before this node, `max_depth` the largest seen.
  static void emit(const Node& n, std::vector<Expression::Instruction>& out, int& depth, int& max_depth) {
    if (n.a) emit(*n.a, out, depth, max_depth);
    if (n.b) emit(*n.b, out, depth, max_depth);
    if (n.op == Op::Constant || n.op == Op::Variable) {
      max_depth = std::max(max_depth, ++depth);
    } else if (n.b) {
      --depth;
    }
    out.push_back({n.op, n.index, n.constant});
  }

  std::vector<Token> tokens_;
  const std::vector<std::string>& variables_;
  int text_size_;
  std::size_t pos_ = 0;
};

Expression::Expression() : text_("0"), program_{{Op::Constant, 0, 0.0}}, stack_depth_(1) {}

Expression Expression::parse(std::string_view text, const std::vector<std::string>& variables) {
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].empty()) throw std::invalid_argument("Expression: variable " + std::to_string(i) + " has an empty name");
    for (std::size_t j = 0; j < i; ++j)
      if (variables[j] == variables[i])
        throw std::invalid_argument("Expression: variable '" + variables[i] + "' is listed twice");
  }
  ExpressionCompiler compiler(text, variables);
  return compiler.compile(text);
}

bool Expression::uses_variable(int i) const {
  for (const Instruction& in : program_)
    if (in.op == Op::Variable && in.index == i) return true;
  return false;
}

namespace {

// A dual number a + b ε (ε² = 0): the value and its derivative along one direction.
// The functions below are found by argument-dependent lookup from Expression::run.
struct Dual {
  double v = 0.0, d = 0.0;
  Dual() = default;
  explicit Dual(double value, double derivative = 0.0) : v(value), d(derivative) {}
};

Dual operator+(const Dual& a, const Dual& b) { return Dual(a.v + b.v, a.d + b.d); }
Dual operator-(const Dual& a, const Dual& b) { return Dual(a.v - b.v, a.d - b.d); }
Dual operator-(const Dual& a) { return Dual(-a.v, -a.d); }
Dual operator*(const Dual& a, const Dual& b) { return Dual(a.v * b.v, a.d * b.v + a.v * b.d); }
Dual operator/(const Dual& a, const Dual& b) {
  const double q = a.v / b.v;
  return Dual(q, (a.d - q * b.d) / b.v);
}
bool operator>=(const Dual& a, const Dual& b) { return a.v >= b.v; }
bool operator==(const Dual& a, const Dual& b) { return a.v == b.v; }

Dual sqrt(const Dual& x) {
  const double s = std::sqrt(x.v);
  return Dual(s, x.d == 0.0 ? 0.0 : x.d / (2.0 * s));
}
Dual exp(const Dual& x) {
  const double e = std::exp(x.v);
  return Dual(e, e * x.d);
}
Dual log(const Dual& x) { return Dual(std::log(x.v), x.d / x.v); }
Dual sin(const Dual& x) { return Dual(std::sin(x.v), std::cos(x.v) * x.d); }
Dual cos(const Dual& x) { return Dual(std::cos(x.v), -std::sin(x.v) * x.d); }
Dual tan(const Dual& x) {
  const double t = std::tan(x.v);
  return Dual(t, (1.0 + t * t) * x.d);
}
Dual asin(const Dual& x) { return Dual(std::asin(x.v), x.d / std::sqrt(1.0 - x.v * x.v)); }
Dual acos(const Dual& x) { return Dual(std::acos(x.v), -x.d / std::sqrt(1.0 - x.v * x.v)); }
Dual atan(const Dual& x) { return Dual(std::atan(x.v), x.d / (1.0 + x.v * x.v)); }
Dual sinh(const Dual& x) { return Dual(std::sinh(x.v), std::cosh(x.v) * x.d); }
Dual cosh(const Dual& x) { return Dual(std::cosh(x.v), std::sinh(x.v) * x.d); }
Dual tanh(const Dual& x) {
  const double t = std::tanh(x.v);
  return Dual(t, (1.0 - t * t) * x.d);
}
// d erf(x)/dx = 2/sqrt(pi) exp(-x^2) (Lepton src/Operation.cpp, Erf::differentiate).
Dual erf(const Dual& x) { return Dual(std::erf(x.v), 1.1283791670955126 * std::exp(-x.v * x.v) * x.d); }
Dual erfc(const Dual& x) { return Dual(std::erfc(x.v), -1.1283791670955126 * std::exp(-x.v * x.v) * x.d); }
Dual pow(const Dual& x, double p) {
  return Dual(std::pow(x.v, p), x.d == 0.0 ? 0.0 : p * std::pow(x.v, p - 1.0) * x.d);
}
// d(a^b) = b a^(b-1) da + ln(a) a^b db (Lepton Power::differentiate); each term only where
// its direction is nonzero, so a negative base with a constant exponent stays finite.
Dual pow(const Dual& a, const Dual& b) {
  const double value = std::pow(a.v, b.v);
  double d = 0.0;
  if (a.d != 0.0) d += b.v * std::pow(a.v, b.v - 1.0) * a.d;
  if (b.d != 0.0) d += std::log(a.v) * value * b.d;
  return Dual(value, d);
}

}  // namespace

double Expression::evaluate(const double* values, double* gradient) const {
  for (int i = 0; i < variable_count_; ++i) {
    gradient[i] = 0.0;
    if (!uses_variable(i)) continue;
    const Dual r = run<Dual>([values, i](int k) { return Dual(values[k], k == i ? 1.0 : 0.0); });
    gradient[i] = r.d;
  }
  return evaluate<double>(values);
}

}  // namespace femur
