// The man page and the bash completion, written from kiln's command-line
// definition: every command and option is in both, the page formats
// without a groff warning, and completing words in bash gives what a user
// would type next (commands, options, targets, boards, planners).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

std::string Kiln() { return test::KilnBinary().string(); }

TEST(KilnHelpText, TheManPageHasEveryCommandAndFormatsCleanly) {
  ASSERT_TRUE(test::Installed("groff"));
  const fs::path dir = test::TempDir("man_page");
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " help-text man > " + (dir / "kiln.1").string(), &out), 0) << out;
  ASSERT_EQ(test::RunCommand("groff -man -Tascii -P-cbou -ww " + (dir / "kiln.1").string() + " 2>&1", &out), 0) << out;
  EXPECT_THAT(out, testing::Not(HasSubstr("warning"))) << out;
  for (const char* command : {"kiln compile model", "kiln run model", "kiln micro create-project project model",
                              "kiln footprint model", "kiln doctor", "kiln conformance onnx", "kiln plan model", "kiln debug model",
                              "kiln tune model"})
    EXPECT_THAT(out, HasSubstr(command)) << command;
  EXPECT_THAT(out, HasSubstr("TEXT:{cortex-m0,cortex-m3,cortex-m4"));
  EXPECT_THAT(out, HasSubstr("KILN_TEMPLATES_DIR"));
  EXPECT_THAT(out, HasSubstr("EXIT STATUS"));
  // The hidden generator itself is not a user's command.
  EXPECT_THAT(out, testing::Not(HasSubstr("help-text")));
  EXPECT_THAT(out, testing::Not(HasSubstr("tune-worker")));  // run by Slurm for kiln tune
}

/// What bash completes for `words` (shell words; the last one, which may
/// be '', is the one being completed).
std::string Complete(const fs::path& driver, const std::string& words) {
  std::string out;
  EXPECT_EQ(test::RunCommand("bash " + driver.string() + " " + words, &out), 0) << words << "\n" << out;
  return out;
}

TEST(KilnHelpText, BashCompletesCommandsOptionsTargetsBoardsAndPlanners) {
  ASSERT_TRUE(test::Installed("bash"));
  const fs::path dir = test::TempDir("completion");
  const fs::path script = dir / "kiln";
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " help-text bash-completion > " + script.string(), &out), 0) << out;
  // Sets the words as bash's completion does, calls the function, prints the candidates.
  const fs::path driver = dir / "complete.sh";
  std::ofstream(driver) << "source " << script.string() << "\n"
                        << "COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _kiln\n"
                        << "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
  EXPECT_EQ(Complete(driver, "kiln co"), "compile\nconformance\n");
  EXPECT_EQ(Complete(driver, "kiln micro cr"), "create-project\n");
  EXPECT_EQ(Complete(driver, "kiln compile m.tflite --tar"), "--target\n");
  EXPECT_EQ(Complete(driver, "kiln compile m.tflite --target cortex-m"),
            "cortex-m0\ncortex-m3\ncortex-m4\ncortex-m7\ncortex-m33\ncortex-m55\n");
  EXPECT_EQ(Complete(driver, "kiln run m.tflite --device qemu-"), "qemu-cortex-m3\nqemu-cortex-m4\nqemu-cortex-m55\nqemu-rv32\n");
  EXPECT_EQ(Complete(driver, "kiln micro create-project p m.tar --template h"), "host\n");
  EXPECT_THAT(Complete(driver, "kiln plan m.tflite --planner ''"), HasSubstr("hill-climb\n"));
  EXPECT_EQ(Complete(driver, "kiln doctor --board qemu-r"), "qemu-rv32\n");
  EXPECT_THAT(Complete(driver, "kiln ''"), HasSubstr("doctor\n"));
  EXPECT_THAT(Complete(driver, "kiln ''"), testing::Not(HasSubstr("help-text")));
}

}  // namespace
}  // namespace kiln
