// Shared helpers of the benchmark programs live in tests/support; this file keeps the
// bench targets linking one translation unit of their own.
#include "support/test_data.cpp"
#include "support/models.cpp"
