// Overload{f, g, ...}: one callable out of several lambdas, for std::visit over the model's
// part variants (ForceElement::part, ControllerPart, ...).
//
//   std::visit(Overload{[](const MuscleParameters& m) { ... }, [](const auto&) { ... }}, f.part);
#pragma once

namespace femur {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

}  // namespace femur
