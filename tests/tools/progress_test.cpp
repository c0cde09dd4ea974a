// Progress with a fake clock and an in-memory stream: silent for the first second, at most
// one line per 0.1 s, the time left at the mean rate so far, and a finished line at the end.
#include "femur/tools/progress.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace femur::tools {
namespace {

double fake_now = 0.0;
double fake_clock() { return fake_now; }

// What `body` printed through a Progress writing to a memory stream.
template <class Body>
std::string printed(Body body) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  body(out);
  std::fclose(out);
  std::string s(buffer, size);
  std::free(buffer);
  return s;
}

TEST(Progress, PrintsNothingForARunShorterThanASecond) {
  fake_now = 100.0;
  const std::string s = printed([](std::FILE* out) {
    Progress p("ik", 10, out, &fake_clock);
    for (int f = 1; f <= 10; ++f) {
      fake_now += 0.09;
      p.update(f);
    }
  });
  EXPECT_EQ(s, "");
}

TEST(Progress, ShowsFramesAndTimeLeftAtMostTenTimesASecondThenEndsTheLine) {
  fake_now = 0.0;
  const std::string s = printed([](std::FILE* out) {
    Progress p("so", 100, out, &fake_clock);
    // 1/16 s per frame (exact in binary): frame 16 is done at 1 s.
    for (int f = 1; f <= 100; ++f) {
      fake_now += 0.0625;
      p.update(f);
    }
    p.finish();
    p.finish();  // idempotent
  });
  // First print at 1 s: frame 16, 84 frames x 1/16 s = 5.25 s left, shown rounded up.
  EXPECT_EQ(s.rfind("\rso: 16/100 frames, 6 s left", 0), 0u) << s;
  EXPECT_NE(s.find("\rso: 32/100 frames, 5 s left"), std::string::npos) << s;  // 4.25 s
  EXPECT_NE(s.find("\rso: 96/100 frames, 1 s left"), std::string::npos) << s;  // 0.25 s
  EXPECT_EQ(s.find("\rso: 17/100"), std::string::npos) << s;  // 1/16 s after a print: too soon
  // Then every 0.1 s, i.e. every second frame: frames 16, 18, ..., 100, and the final line.
  EXPECT_EQ(std::count(s.begin(), s.end(), '\r'), 43 + 1) << s;
  EXPECT_NE(s.find("\rso: 100/100 frames in 6."), std::string::npos) << s;
  EXPECT_EQ(s.back(), '\n');
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1);
}

}  // namespace
}  // namespace femur::tools
