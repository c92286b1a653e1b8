// The ONNX conformance harness on Debian's libonnx-testdata: every case of
// the four suites must pass or be unsupported; a failing case that Kiln
// claims to support fails this test. Also checks the harness's verdicts on
// known cases and the CLI's summary line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "conformance/onnx_conformance.h"
#include "test_support.h"

namespace kiln {
namespace {

using testing::HasSubstr;
using testing::MatchesRegex;

bool HaveTestData() { return std::filesystem::is_directory(conformance::kDefaultDataDir); }

TEST(OnnxConformance, KnownCasesGetTheirVerdicts) {
  if (!HaveTestData()) GTEST_SKIP() << "libonnx-testdata is not installed";
  const std::filesystem::path node = std::filesystem::path(conformance::kDefaultDataDir) / "node";
  auto conv = conformance::RunCase({"test_conv_with_strides_padding", node / "test_conv_with_strides_padding"}, {});
  EXPECT_EQ(conv.result, conformance::CaseResult::kPassed) << conv.detail;
  auto erf = conformance::RunCase({"test_erf", node / "test_erf"}, {});
  EXPECT_EQ(erf.result, conformance::CaseResult::kUnsupported);
  EXPECT_EQ(erf.op, "Erf");
  EXPECT_EQ(erf.detail, "operator not supported");
}

TEST(OnnxConformance, EverySupportedCaseOfEverySuitePasses) {
  if (!HaveTestData()) GTEST_SKIP() << "libonnx-testdata is not installed";
  std::string out;
  const int code = test::RunCommand(test::KilnBinary().string() + " conformance onnx -j 2", &out);
  EXPECT_EQ(code, 0) << out;
  for (const char* suite : {"node", "pytorch-converted", "pytorch-operator", "simple"})
    EXPECT_THAT(out, HasSubstr(std::string("\n") + suite + ": ")) << out;
  EXPECT_THAT(out, HasSubstr("|kiln - expected| <= 1e-07 + 0.001 * |expected|"));
  EXPECT_THAT(out, testing::Not(HasSubstr("FAILED"))) << out;
}

}  // namespace
}  // namespace kiln
