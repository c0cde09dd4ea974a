// A GoogleTest fixture parameterized by model: "test_leg" is make_test_leg(), anything else a
// path under the OpenSim data folder (the test is skipped with the reason when it is absent).
//
//   class Kinematics : public femur::test::ModelParamTest {};
//   TEST_P(Kinematics, ...) { ... model_ ... }
//   INSTANTIATE_TEST_SUITE_P(Models, Kinematics, ::testing::Values("test_leg", "Models/..."));
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "support/models.hpp"
#include "support/test_data.hpp"

namespace femur::test {

class ModelParamTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "test_leg") {
      model_ = make_test_leg();
    } else {
      FEMUR_REQUIRE_OPENSIM_DATA();
      model_ = load_opensim_model(GetParam());
    }
  }
  Model model_;
};

}  // namespace femur::test
