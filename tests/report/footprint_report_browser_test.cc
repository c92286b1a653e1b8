// The footprint report in a real browser: headless Chromium loads the page
// from a file, with no network, and dumps the DOM after the scripts ran.
// The page records any error on <html data-report-errors> and marks itself
// done with data-report-ready; every buffer must be drawn.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <regex>

#include "driver/compile.h"
#include "test_support.h"

namespace kiln {
namespace {

/// The first headless-capable Chromium on PATH, or "" when none is.
std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::string path;
    if (test::RunCommand(std::string("command -v ") + name, &path) == 0 && !path.empty()) {
      while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
      return path;
    }
  }
  return "";
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

class FootprintReportInBrowser : public testing::TestWithParam<const char*> {};

TEST_P(FootprintReportInBrowser, LoadsWithoutErrorsAndShowsEveryBuffer) {
  const std::string chromium = FindChromium();
  ASSERT_FALSE(chromium.empty()) << test::Installed("chromium").message();
  // `kiln footprint` estimates with the Cortex-M4 cross compiler's size table.
  ASSERT_TRUE(test::Installed("arm-none-eabi-gcc"));

  // For the target the footprint below is estimated for: its schedules
  // decide the scratch buffers.
  CodegenOptions options;
  options.target = "cortex-m4";
  auto library = CompileModelFile(test::SharedDir() / "models" / "tflite" / GetParam() / "model.tflite", options);
  ASSERT_TRUE(library.ok()) << library.message();
  const auto dir = test::TempDir("report_browser");
  const auto page = dir / "report.html";
  std::string out;
  // The page as a user gets it: `kiln footprint --report`, real estimate.
  ASSERT_EQ(test::RunCommand(test::KilnBinary().string() + " footprint " +
                                 (test::SharedDir() / "models" / "tflite" / GetParam() / "model.tflite").string() +
                                 " --target cortex-m4 --budget flash=64K,ram=8K --report " + page.string(),
                             &out),
            std::string(GetParam()) == "micro_speech_quantized" ? 0 : 1)
      << out;

  // As root Chromium refuses to start without --no-sandbox; the profile
  // directory keeps it off the user's. Its stderr (D-Bus noise) is dropped.
  const std::string command = "(timeout 60 " + chromium +
                              " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
                              " --user-data-dir=" + (dir / "profile").string() +
                              " --virtual-time-budget=2000 --dump-dom file://" + page.string() + " 2>/dev/null)";
  const auto start = std::chrono::steady_clock::now();
  std::string dom;
  ASSERT_EQ(test::RunCommand(command, &dom), 0) << dom.substr(0, 2000);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("browser_seconds", std::to_string(seconds));

  EXPECT_THAT(dom, testing::HasSubstr("data-report-ready=\"yes\"")) << dom.substr(0, 2000);
  std::smatch errors;
  EXPECT_FALSE(std::regex_search(dom, errors, std::regex("data-report-errors=\"([^\"]*)\"")))
      << "errors in the page: " << errors[1];
  const size_t buffers = library->metadata["memory"]["buffers"].size();
  ASSERT_GT(buffers, 0u);
  EXPECT_THAT(dom, testing::HasSubstr("data-buffers-drawn=\"" + std::to_string(buffers) + "\""));
  EXPECT_EQ(Count(dom, "data-buffer=\""), buffers);
  EXPECT_EQ(Count(dom, "data-buffer-row=\""), buffers);
  EXPECT_EQ(Count(dom, "class=\"budget-line\""), 2u);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(SharedModels, FootprintReportInBrowser,
                         testing::Values("micro_speech_quantized", "person_detect"));

}  // namespace
}  // namespace kiln
