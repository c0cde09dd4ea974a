// A libFuzzer custom mutator for the text formats (STO/MOT, TRC, .osim): half of the
// mutations write what broke femur before issue 21 into an otherwise valid file — a number
// replaced by NaN, Inf, -Inf, 1e308, -1e308 or 1e400, a data line duplicated (a repeated
// time), two lines swapped or a run of lines reversed (times going back) — the other half are
// libFuzzer's own byte-level mutations. Define FEMUR_FUZZ_TEXT_MUTATOR in one target file
// before including this header.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cctype>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

// The mutator is the fuzzer's tooling, not code under test: left out of the coverage
// instrumentation (clang), whose comparison hooks on its byte loops were 18% of osim_fuzz's time.
#if defined(__clang__)
#define FEMUR_FUZZ_UNTRACED __attribute__((no_sanitize("coverage")))
#else
#define FEMUR_FUZZ_UNTRACED
#endif

namespace femur::fuzz {

FEMUR_FUZZ_UNTRACED inline bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
}

// The [begin, end) spans of the numbers in `text` (runs of number characters with a digit).
FEMUR_FUZZ_UNTRACED inline std::vector<std::pair<size_t, size_t>> number_spans(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> spans;
  for (size_t i = 0; i < text.size();) {
    if (!is_number_char(text[i]) || (i > 0 && std::isalpha(static_cast<unsigned char>(text[i - 1])))) {
      ++i;
      continue;
    }
    size_t j = i;
    bool digit = false;
    for (; j < text.size() && is_number_char(text[j]); ++j)
      if (std::isdigit(static_cast<unsigned char>(text[j]))) digit = true;
    if (digit) spans.emplace_back(i, j);
    i = j;
  }
  return spans;
}

// The [begin, end) spans of the lines of `text`, newline included.
FEMUR_FUZZ_UNTRACED inline std::vector<std::pair<size_t, size_t>> line_spans(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') lines.emplace_back(start, i + 1), start = i + 1;
  if (start < text.size()) lines.emplace_back(start, text.size());
  return lines;
}

FEMUR_FUZZ_UNTRACED inline bool mutate_bad_numbers(std::string& text, std::mt19937& rng) {
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  switch (pick(4)) {
    case 0: {  // a number becomes a bad number
      const auto spans = number_spans(text);
      if (spans.empty()) return false;
      static const char* kBad[] = {"NaN", "nan", "Inf", "-Inf", "inf", "1e308", "-1e308", "1e400", "-1e400",
                                   "1.7976931348623157e308", "4.9e-324"};
      const auto [b, e] = spans[pick(spans.size())];
      text.replace(b, e - b, kBad[pick(std::size(kBad))]);
      return true;
    }
    case 1: {  // a line duplicated: a repeated time
      const auto lines = line_spans(text);
      if (lines.empty()) return false;
      const auto [b, e] = lines[pick(lines.size())];
      text.insert(e, text.substr(b, e - b));
      return true;
    }
    case 2: {  // two lines swapped: a time going back
      const auto lines = line_spans(text);
      if (lines.size() < 2) return false;
      size_t a = pick(lines.size()), b = pick(lines.size());
      if (a == b) return false;
      if (a > b) std::swap(a, b);
      const std::string la = text.substr(lines[a].first, lines[a].second - lines[a].first);
      const std::string lb = text.substr(lines[b].first, lines[b].second - lines[b].first);
      text.replace(lines[b].first, lb.size(), la);
      text.replace(lines[a].first, la.size(), lb);
      return true;
    }
    default: {  // a run of lines reversed: times decreasing
      const auto lines = line_spans(text);
      if (lines.size() < 3) return false;
      const size_t a = pick(lines.size() - 1);
      const size_t b = std::min(lines.size() - 1, a + 1 + pick(16));
      std::vector<std::string> run;
      for (size_t i = a; i <= b; ++i) run.push_back(text.substr(lines[i].first, lines[i].second - lines[i].first));
      std::string reversed;
      for (auto it = run.rbegin(); it != run.rend(); ++it) {
        reversed += *it;
        if (reversed.back() != '\n') reversed += '\n';
      }
      text.replace(lines[a].first, lines[b].second - lines[a].first, reversed);
      return true;
    }
  }
}

}  // namespace femur::fuzz

#ifdef FEMUR_FUZZ_TEXT_MUTATOR
extern "C" FEMUR_FUZZ_UNTRACED size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::mt19937 rng(seed);
  if (size > 0 && rng() % 2 == 0) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (femur::fuzz::mutate_bad_numbers(text, rng) && text.size() <= max_size) {
      std::memcpy(data, text.data(), text.size());
      return text.size();
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}
#endif
