// The fuzzers' text mutator (fuzz/bad_numbers_mutator.hpp) tested outside libFuzzer: it once
// looped forever on any number of two or more characters (`digit || isdigit(text[j++])`
// stopped advancing once a digit was seen), so sto/trc/osim fuzzing hung on its first
// custom mutation.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "../../fuzz/bad_numbers_mutator.hpp"

namespace femur::fuzz {
namespace {

TEST(FuzzMutator, FindsEveryNumberSpanAndSkipsNamesWithDigits) {
  const std::string text = "time\tr_x2\n0.25\t-3.5e+04\t7\n";
  const auto spans = number_spans(text);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(text.substr(spans[0].first, spans[0].second - spans[0].first), "0.25");
  EXPECT_EQ(text.substr(spans[1].first, spans[1].second - spans[1].first), "-3.5e+04");
  EXPECT_EQ(text.substr(spans[2].first, spans[2].second - spans[2].first), "7");
}

TEST(FuzzMutator, EveryMutationChangesAValidFileAndEnds) {
  const std::string file = "name\nendheader\ntime\tq\n0.00\t1.50\n0.01\t1.60\n0.02\t1.70\n0.03\t1.80\n";
  int changed = 0;
  for (unsigned seed = 0; seed < 200; ++seed) {
    std::mt19937 rng(seed);
    std::string text = file;
    if (mutate_bad_numbers(text, rng)) {
      ++changed;
      EXPECT_FALSE(text.empty());
    }
  }
  EXPECT_GT(changed, 150);  // only a swap of a line with itself declines
}

}  // namespace
}  // namespace femur::fuzz
