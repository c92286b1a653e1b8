// The footprint report's content, checked as text: every buffer and
// operator shown, the budget lines and verdicts, nothing fetched from the
// network. footprint_report_browser_test.cc loads it in a real browser.
#include "report/footprint_report.h"
#include "report/markup_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "report/shared_model_metadata.h"
#include "test_support.h"

namespace kiln::report {
namespace {

using testing::HasSubstr;
using testing::Not;

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

nlohmann::json Fixture() {
  std::ifstream in(test::SourceDir() / "tests" / "report" / "fixtures" / "micro_speech_cortex_m4_footprint.json");
  return nlohmann::json::parse(in);
}

nlohmann::json MicroSpeech() { return test::SharedModelMetadata("micro_speech_quantized"); }

TEST(FootprintReport, ShowsTotalsEveryBufferAndEveryOperatorOffline) {
  const nlohmann::json metadata = MicroSpeech();
  ASSERT_FALSE(metadata.is_null());
  const nlohmann::json footprint = Fixture();
  const std::string html = RenderFootprintReport(metadata, footprint).value();
  EXPECT_THAT(html, HasSubstr("<title>Footprint of " + metadata["model_name"].get<std::string>() + " on cortex-m4"));
  EXPECT_THAT(html, HasSubstr(GroupDigits(footprint["flash_bytes"].get<int64_t>())));
  const size_t buffers = metadata["memory"]["buffers"].size();
  EXPECT_EQ(Count(html, "data-buffer=\""), buffers);
  EXPECT_EQ(Count(html, "data-buffer-row=\""), buffers);
  EXPECT_EQ(Count(html, "<tr data-step=\""), metadata["operators"].size());
  ASSERT_FALSE(footprint["flash"]["operators"].empty());
  for (const auto& op : footprint["flash"]["operators"])
    EXPECT_THAT(html, HasSubstr(op["kernel"].get<std::string>()));
  for (const char* section : {".text", ".rodata", ".data"}) EXPECT_THAT(html, HasSubstr(section));
  // Self-contained: no attribute points outside the file.
  EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href|url)\s*[=(]\s*["']?\s*(https?:|//|file:))")));
  EXPECT_EQ(Count(html, "http"), Count(html, "http://www.w3.org/2000/svg"));
  // No budget in the estimate: no budget lines.
  EXPECT_EQ(Count(html, "class=\"budget-line\""), 0u);
}

TEST(FootprintReport, BudgetLinesSayWhetherAndByHowMuch) {
  const nlohmann::json metadata = MicroSpeech();
  nlohmann::json footprint = Fixture();
  const int64_t flash = footprint["flash_bytes"], ram = footprint["ram_bytes"];
  footprint["budget"] = {{"flash_bytes", 1024 * 1024}, {"ram_bytes", ram - 100}, {"fits", false},
                         {"flash_over_bytes", 0}, {"ram_over_bytes", 100}};
  std::string html = RenderFootprintReport(metadata, footprint).value();
  EXPECT_EQ(Count(html, "class=\"budget-line\""), 2u);
  EXPECT_THAT(html, HasSubstr("misses</span> the " + ShortBytes(ram - 100) + " budget by 100 bytes"));
  EXPECT_THAT(html, HasSubstr("fits</span> the 1.00 MiB budget: " + GroupDigits(1024 * 1024 - flash) +
                              " bytes"));
  EXPECT_THAT(html, HasSubstr("data-fits=\"no\""));

  footprint["budget"] = {{"flash_bytes", flash}, {"ram_bytes", ram}, {"fits", true},
                         {"flash_over_bytes", 0}, {"ram_over_bytes", 0}};
  html = RenderFootprintReport(metadata, footprint).value();
  EXPECT_THAT(html, HasSubstr("data-fits=\"yes\""));
  EXPECT_THAT(html, Not(HasSubstr("misses</span>")));
}

TEST(FootprintReport, EscapesNamesFromTheModelAndTheEstimate) {
  nlohmann::json metadata = MicroSpeech();
  metadata["model_name"] = "<script>alert(1)</script>";
  nlohmann::json footprint = Fixture();
  footprint["target"] = "m4 & \"friends\"";
  const std::string html = RenderFootprintReport(metadata, footprint).value();
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; on m4 &amp; &quot;friends&quot;"));
}

TEST(FootprintReport, ToleratesAnEstimateWithOnlyTheTotals) {
  const std::string html = RenderFootprintReport(MicroSpeech(), {{"flash_bytes", 20000}, {"ram_bytes", 9000}}).value();
  EXPECT_THAT(html, HasSubstr("20,000 bytes"));
  EXPECT_THAT(html, HasSubstr("on unknown target"));
  EXPECT_THAT(html, HasSubstr("</html>"));
}

}  // namespace
}  // namespace kiln::report
