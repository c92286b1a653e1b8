// The kiln command as a user meets it: exit codes (0 ok, 1 user error,
// 2 usage error), messages, and no output file left behind on failure.
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

std::string Kiln() { return test::KilnBinary().string(); }
fs::path Model(const std::string& name) { return test::SharedDir() / "models" / "tflite" / name / "model.tflite"; }

TEST(KilnCli, VersionHelpAndUsageErrors) {
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " --version", &out), 0);
  EXPECT_THAT(out, HasSubstr("kiln 0."));
  EXPECT_EQ(test::RunCommand(Kiln(), &out), 2);
  EXPECT_EQ(test::RunCommand(Kiln() + " frobnicate", &out), 2);
  EXPECT_EQ(test::RunCommand(Kiln() + " compile --no-such-flag x", &out), 2);
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + Model("hello_world_int8").string() + " --planner nope", &out), 2);
  for (const char* cmd : {"ops", "inspect", "compile", "run"}) {
    EXPECT_EQ(test::RunCommand(Kiln() + " " + cmd + " --help", &out), 0) << cmd;
    EXPECT_THAT(out, HasSubstr("Usage")) << cmd;
  }
}

TEST(KilnCli, OpsListsOperatorsWithDtypes) {
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " ops", &out), 0);
  EXPECT_THAT(out, testing::ContainsRegex("CONV_2D +int8, int16, float32 .*int16 is 16x8"));
  EXPECT_THAT(out, HasSubstr("SVDF"));
  // Every row's semantics start in the header's column, the longest dtype
  // list (eight dtypes) included.
  std::istringstream table(out);
  std::string line;
  std::getline(table, line);
  const size_t column = line.find("SEMANTICS");
  ASSERT_NE(column, std::string::npos);
  int rows = 0;
  while (std::getline(table, line) && !line.empty()) {
    ASSERT_GT(line.size(), column) << line;
    EXPECT_TRUE(line[column - 1] == ' ' && line[column] != ' ') << line;
    ++rows;
  }
  EXPECT_GT(rows, 100);
}

TEST(KilnCli, InspectShowsTensorsAndOperators) {
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " inspect " + Model("person_detect").string(), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("int8[1,96,96,1]"));
  EXPECT_THAT(out, HasSubstr("#0 DEPTHWISE_CONV_2D("));
  EXPECT_THAT(out, HasSubstr("kernel depthwise_conv2d_s8"));
  EXPECT_THAT(out, HasSubstr("Kiln can compile every operator of this model."));
}

TEST(KilnCli, CompileWritesAnArchiveAndRunsIt) {
  const fs::path dir = test::TempDir("cli");
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " compile " + Model("hello_world_int8").string() + " -o " +
                                 (dir / "m.tar").string() + " --module-name sine",
                             &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("wrote"));
  const fs::path c = Model("hello_world_int8").parent_path() / "cases" / "zeros";
  ASSERT_EQ(test::RunCommand(Kiln() + " run " + (dir / "m.tar").string() + " --input " + (c / "input_0.bin").string() +
                                 " --output-dir " + (dir / "out").string(),
                             &out),
            0)
      << out;
  EXPECT_EQ(test::ReadBytes(dir / "out" / "output_0.bin"), test::ReadBytes(c / "output_0.bin"));
  fs::remove_all(dir);
}

// On qemu-cortex-m4 a run also prints its estimated cycles and, with
// --per-op, each operator's, with --hot-blocks the costliest code; a board
// without a cycle model refuses --per-op, and --hot-blocks needs a board.
TEST(KilnCli, RunOnTheCortexM4BoardEstimatesCycles) {
  const fs::path dir = test::TempDir("cli_cycles");
  const fs::path c = Model("hello_world_int8").parent_path() / "cases" / "zeros";
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " run " + Model("hello_world_int8").string() + " --device qemu-cortex-m4 --input " +
                                 (c / "input_0.bin").string() + " --output-dir " + (dir / "out").string() +
                                 " --per-op --clock-mhz 80 --hot-blocks 2",
                             &out),
            0)
      << out;
  EXPECT_EQ(test::ReadBytes(dir / "out" / "output_0.bin"), test::ReadBytes(c / "output_0.bin"));
  EXPECT_THAT(out, testing::ContainsRegex("estimated Cortex-M4 cycles: [1-9][0-9]+ .* ms at 80 MHz"));
  EXPECT_THAT(out, testing::ContainsRegex("0 +FULLY_CONNECTED +fully_connected_s8 +[1-9][0-9]+ +[1-9][0-9]+ "));
  EXPECT_THAT(out, HasSubstr("the 2 blocks that took the most cycles:"));
  EXPECT_THAT(out, testing::ContainsRegex(" 1\\. [a-z_0-9]+ in operator [0-9] \\([A-Z_]+\\): [1-9][0-9]* runs, [1-9][0-9]* "
                                          "instructions, [1-9][0-9]* cycles, [0-9.]+%\n +0x[0-9a-f]{8}: [a-z]"));
  EXPECT_THAT(out, HasSubstr(" 2. "));
  EXPECT_EQ(test::RunCommand(Kiln() + " run " + Model("hello_world_int8").string() + " --input " +
                                 (c / "input_0.bin").string() + " --hot-blocks 2",
                             &out),
            2)
      << out;
  EXPECT_THAT(out, HasSubstr("--hot-blocks requires --device"));
  EXPECT_EQ(test::RunCommand(Kiln() + " run " + Model("hello_world_int8").string() + " --device qemu-rv32 --input " +
                                 (c / "input_0.bin").string() + " --output-dir " + (dir / "rv").string() + " --per-op",
                             &out),
            1)
      << out;
  EXPECT_THAT(out, HasSubstr("has no cycle model"));
  fs::remove_all(dir);
}

TEST(KilnCli, BadModelIsAUserErrorAndLeavesNoArchive) {
  const fs::path dir = test::TempDir("cli");
  test::WriteBytes(dir / "bad.tflite", std::vector<uint8_t>(64, 0x42));
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + (dir / "bad.tflite").string() + " -o " + (dir / "bad.tar").string(), &out), 1);
  EXPECT_THAT(out, HasSubstr("bad.tflite: not a TFLite model"));
  EXPECT_FALSE(fs::exists(dir / "bad.tar"));
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + (dir / "missing.tflite").string(), &out), 1);
  EXPECT_THAT(out, HasSubstr("is not a readable file"));
  fs::remove_all(dir);
}

TEST(KilnCli, WrongInputSizeIsAUserError) {
  const fs::path dir = test::TempDir("cli");
  test::WriteBytes(dir / "in.bin", std::vector<uint8_t>(5, 0));
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " run " + Model("hello_world_int8").string() + " --input " +
                                 (dir / "in.bin").string() + " --output-dir " + (dir / "out").string(),
                             &out),
            1);
  EXPECT_THAT(out, HasSubstr("file has 5 bytes, but model input"));
  EXPECT_THAT(out, HasSubstr("needs 1"));
  EXPECT_FALSE(fs::exists(dir / "out" / "output_0.bin"));
  EXPECT_EQ(test::RunCommand(Kiln() + " run " + Model("hello_world_int8").string() + " --output-dir " +
                                 (dir / "out").string(),
                             &out),
            1);
  EXPECT_THAT(out, HasSubstr("the model has 1 input(s) but 0 --input file(s) were given"));
  fs::remove_all(dir);
}

// What the graph executor does not do is said, not half done.
TEST(KilnCli, TheGraphExecutorsLimitsAreClearErrors) {
  const fs::path dir = test::TempDir("cli_graph_limits");
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " footprint " + Model("hello_world_int8").string() +
                                 " --target cortex-m4 --executor graph",
                             &out),
            1);
  EXPECT_THAT(out, HasSubstr("the footprint estimate models the AoT executor's code"));
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + Model("hello_world_int8").string() + " --executor graph --io-in-pools -o " +
                                 (dir / "m.tar").string(),
                             &out),
            1);
  EXPECT_THAT(out, HasSubstr("drop --io-in-pools"));
  EXPECT_FALSE(fs::exists(dir / "m.tar"));
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + Model("hello_world_int8").string() + " --executor tree -o " +
                                 (dir / "m.tar").string(),
                             &out),
            2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kiln
