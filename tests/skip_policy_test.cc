// test_main.cc's policy, end to end: a test that calls GTEST_SKIP makes the
// run fail, and the output carries no "[  SKIPPED ]" line (ctest's
// gtest_discover_tests marks a test whose output matches that as skipped,
// which ctest does not count as a failure).
#include <unistd.h>

#include <cstdlib>

#include <gtest/gtest.h>

#include "test_support.h"

namespace kiln {
namespace {

constexpr const char* kProbeVariable = "KILN_TEST_SKIP_PROBE";

TEST(SkipPolicy, ASkippedTestFailsTheRun) {
  // The probe: this same test, run again by the branch below with the
  // variable set, skips.
  if (std::getenv(kProbeVariable) != nullptr) GTEST_SKIP() << "the probe of SkipPolicy";
  // This binary (in the shell, /proc/self/exe would be the shell).
  std::string self(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", self.data(), self.size());
  ASSERT_GT(n, 0);
  self.resize(static_cast<size_t>(n));
  std::string out;
  const int exit_code = test::RunCommand(std::string(kProbeVariable) + "=1 '" + self +
                                             "' --gtest_filter=SkipPolicy.ASkippedTestFailsTheRun",
                                         &out);
  EXPECT_NE(exit_code, 0) << out;
  EXPECT_NE(out.find("[  FAILED  ] SkipPolicy.ASkippedTestFailsTheRun"), std::string::npos) << out;
  EXPECT_NE(out.find("a skip is a failure"), std::string::npos) << out;
  EXPECT_EQ(out.find("[  SKIPPED ]"), std::string::npos) << out;
}

}  // namespace
}  // namespace kiln
