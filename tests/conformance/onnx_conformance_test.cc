// The ONNX conformance harness on Debian's libonnx-testdata: every case of
// the four suites must pass or be unsupported; a failing case that Kiln
// claims to support fails this test, and so does a suite passing fewer
// cases than its pin. Also checks the harness's verdicts on known cases and
// the CLI's summary line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "conformance/onnx_conformance.h"
#include "test_support.h"

namespace kiln {
namespace {

using testing::HasSubstr;
using testing::MatchesRegex;

testing::AssertionResult HaveTestData() {
  return test::InstalledData(conformance::kDefaultDataDir, "libonnx-testdata");
}

TEST(OnnxConformance, KnownCasesGetTheirVerdicts) {
  ASSERT_TRUE(HaveTestData());
  const std::filesystem::path node = std::filesystem::path(conformance::kDefaultDataDir) / "node";
  auto conv = conformance::RunCase({"test_conv_with_strides_padding", node / "test_conv_with_strides_padding"}, {});
  EXPECT_EQ(conv.result, conformance::CaseResult::kPassed) << conv.detail;
  auto det = conformance::RunCase({"test_det_2d", node / "test_det_2d"}, {});
  EXPECT_EQ(det.result, conformance::CaseResult::kUnsupported);
  EXPECT_EQ(det.op, "Det");
  EXPECT_EQ(det.detail, "operator not supported");
}

// Cases each suite passes and holds, on Debian's libonnx-testdata 1.12.0.
// A kernel check that starts refusing valid nodes moves cases from passed
// to unsupported, which is no failure of the run: the pins catch it. When
// coverage grows, raise the pin (the test says to).
struct SuitePin {
  const char* suite;
  int total;
  int passed;
};
constexpr SuitePin kPins[] = {
    {"node", 932, 604},
    {"pytorch-converted", 82, 82},
    {"pytorch-operator", 35, 35},
    {"simple", 23, 7},
};

void ExpectEverySupportedCasePasses(const std::string& executor) {
  ASSERT_TRUE(HaveTestData());
  std::string out;
  const int code = test::RunCommand(test::KilnBinary().string() + " conformance onnx -j 2 --format json --executor " +
                                        executor + " 2>/dev/null",
                                    &out);
  EXPECT_EQ(code, 0) << "a case Kiln claims to support failed";
  const nlohmann::json report = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(report.is_discarded()) << out.substr(0, 2000);
  ASSERT_EQ(report["suites"].size(), std::size(kPins));
  for (const SuitePin& pin : kPins) {
    SCOPED_TRACE(pin.suite);
    const auto suite = std::find_if(report["suites"].begin(), report["suites"].end(),
                                    [&](const nlohmann::json& s) { return s["suite"] == pin.suite; });
    ASSERT_NE(suite, report["suites"].end());
    for (const auto& c : (*suite)["cases"])
      EXPECT_NE(c["result"], "failed") << c["name"] << ": " << c.value("detail", "");
    EXPECT_EQ((*suite)["total"].get<int>(), pin.total) << "the test data changed: review the pins";
    const int passed = (*suite)["passed"].get<int>();
    EXPECT_GE(passed, pin.passed) << pin.passed - passed
                                  << " cases that passed no longer do (see `kiln conformance onnx --suite "
                                  << pin.suite << " -v` for the reason of each)";
    EXPECT_LE(passed, pin.passed) << "coverage grew: raise the pin of " << pin.suite << " to " << passed
                                  << " in tests/conformance/onnx_conformance_test.cc";
  }
}

TEST(OnnxConformance, EverySupportedCaseOfEverySuitePassesAndNoneIsLost) { ExpectEverySupportedCasePasses("aot"); }

// The graph executor runs the same kernels from a blob: every case the AoT
// executor passes, it passes too, with the same outputs' tolerance.
TEST(OnnxConformance, TheGraphExecutorPassesEveryCaseTheAotExecutorDoes) { ExpectEverySupportedCasePasses("graph"); }

// The text summary: the tolerance on the first line and one line per suite,
// on a filter that keeps it quick (a suite with no matching case still
// prints its line).
TEST(OnnxConformance, TextSummaryNamesTheToleranceAndEverySuite) {
  ASSERT_TRUE(HaveTestData());
  std::string out;
  const int code = test::RunCommand(
      test::KilnBinary().string() + " conformance onnx --filter test_conv_with_strides_padding", &out);
  EXPECT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("|kiln - expected| <= 1e-07 + 0.001 * |expected|"));
  EXPECT_THAT(out, HasSubstr("\nnode: 1 passed, 0 failed, 0 unsupported of 1")) << out;
  for (const char* suite : {"pytorch-converted", "pytorch-operator", "simple"})
    EXPECT_THAT(out, HasSubstr(std::string("\n") + suite + ": ")) << out;
  EXPECT_THAT(out, testing::Not(HasSubstr("FAILED"))) << out;
}

}  // namespace
}  // namespace kiln
