// `kiln micro` as a user runs it, on the emulated Cortex-M4 and RV32: a
// project from a template, built, flashed, run on a real model's case and
// timed, with and without the per-operator hooks.
#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

std::string Kiln() { return test::KilnBinary().string(); }
const fs::path kModelDir = test::SharedDir() / "models" / "tflite" / "micro_speech_quantized";

TEST(KilnMicroCli, CreateBuildFlashRunAndTimeWithPerOperatorShares) {
  for (const char* tool : {"arm-none-eabi-gcc", "qemu-system-arm", "python3"}) ASSERT_TRUE(test::Installed(tool));
  const fs::path dir = test::TempDir("micro_cli");
  const std::string project = (dir / "proj").string();
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro templates", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("qemu-cortex-m4"));
  EXPECT_THAT(out, HasSubstr("qemu-rv32"));
  ASSERT_EQ(test::RunCommand(Kiln() + " micro create-project " + project + " " + (kModelDir / "model.tflite").string() +
                                 " --template qemu-cortex-m4 --option profile=true",
                             &out),
            0)
      << out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro build " + project, &out), 0) << out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro flash " + project, &out), 0) << out;

  const fs::path case_dir = kModelDir / "cases" / "seed_0x12345678";
  ASSERT_TRUE(fs::exists(case_dir)) << case_dir;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro run " + project + " --input " + (case_dir / "input_0.bin").string() +
                                 " --output-dir " + (dir / "out").string(),
                             &out),
            0)
      << out;
  EXPECT_EQ(test::ReadBytes(dir / "out" / "output_0.bin"), test::ReadBytes(case_dir / "output_0.bin"));

  ASSERT_EQ(test::RunCommand(Kiln() + " micro time " + project + " --runs 2 --per-op", &out), 0) << out;
  EXPECT_THAT(out, testing::ContainsRegex("2 runs: [0-9]+ instructions per inference"));
  EXPECT_THAT(out, testing::ContainsRegex("stack of run\\(\\): [0-9]+ bytes"));
  // On qemu-cortex-m4 the per-operator table comes from QEMU's execution
  // log: instructions, estimated cycles, ms at 120 MHz, share.
  EXPECT_THAT(out, testing::ContainsRegex("qemu-cortex-m4: estimated Cortex-M4 cycles: [1-9][0-9]+ .* ms at 120 MHz"));
  EXPECT_THAT(out, testing::ContainsRegex("1 +DEPTHWISE_CONV_2D +depthwise_conv2d_s8 +[1-9][0-9]+ +[1-9][0-9]+ +[0-9.]+ "
                                          "+[0-9.]+%"));
  EXPECT_THAT(out, HasSubstr("3  SOFTMAX"));

  // The firmware's size per part, from the link map; the model's constants
  // are at least its weights (the depthwise filter and the FC matrix).
  ASSERT_EQ(test::RunCommand(Kiln() + " micro size " + project, &out), 0) << out;
  EXPECT_THAT(out, testing::ContainsRegex("model constants +0 +[0-9]+"));
  EXPECT_THAT(out, testing::ContainsRegex("runtime kernels +[1-9][0-9]+"));
  ASSERT_EQ(test::RunCommand(Kiln() + " micro size " + project + " --format json", &out), 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_GT(j["model_and_runtime"]["flash_bytes"].get<int64_t>(), 16000);
  EXPECT_GT(j["flash_bytes"].get<int64_t>(), j["model_and_runtime"]["flash_bytes"].get<int64_t>());
}

// The graph executor through a Project API template: the project builds the
// blob and the interpreter into the firmware, runs the case exactly, times
// each operator (the interpreter's hooks) and counts the blob as the
// model's constants.
TEST(KilnMicroCli, TheGraphExecutorRunsInAProject) {
  for (const char* tool : {"arm-none-eabi-gcc", "qemu-system-arm", "python3"}) ASSERT_TRUE(test::Installed(tool));
  const fs::path dir = test::TempDir("micro_graph");
  const std::string project = (dir / "proj").string();
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro create-project " + project + " " + (kModelDir / "model.tflite").string() +
                                 " --template qemu-cortex-m4 --executor graph --option profile=true",
                             &out),
            0)
      << out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro build " + project, &out), 0) << out;
  const fs::path case_dir = kModelDir / "cases" / "seed_0x12345678";
  ASSERT_EQ(test::RunCommand(Kiln() + " micro run " + project + " --input " + (case_dir / "input_0.bin").string() +
                                 " --output-dir " + (dir / "out").string(),
                             &out),
            0)
      << out;
  EXPECT_EQ(test::ReadBytes(dir / "out" / "output_0.bin"), test::ReadBytes(case_dir / "output_0.bin"));
  ASSERT_EQ(test::RunCommand(Kiln() + " micro time " + project + " --runs 2 --per-op", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("3  SOFTMAX"));
  ASSERT_EQ(test::RunCommand(Kiln() + " micro size " + project, &out), 0) << out;
  // The blob: 34 KB, the fully connected layer's weights int16 (the flash budget's choice).
  EXPECT_THAT(out, testing::ContainsRegex("model constants +0 +3[0-9]{4} "));
}

TEST(KilnMicroCli, PerOperatorTimingNeedsTheProfileBuild) {
  for (const char* tool : {"riscv64-unknown-elf-gcc", "qemu-system-riscv32", "python3"})
    ASSERT_TRUE(test::Installed(tool));
  const fs::path dir = test::TempDir("micro_cli_rv32");
  const std::string project = (dir / "proj").string();
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro create-project " + project + " " + (kModelDir / "model.tflite").string() +
                                 " --template qemu-rv32",
                             &out),
            0)
      << out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro build " + project, &out), 0) << out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro time " + project + " --runs 1", &out), 0) << out;
  EXPECT_THAT(out, testing::ContainsRegex("1 runs: [0-9]+ instructions per inference"));
  EXPECT_EQ(test::RunCommand(Kiln() + " micro time " + project + " --per-op", &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("built without per-operator hooks"));
  EXPECT_THAT(out, HasSubstr("--option profile=true"));
}

// The host template's transport carries raw bytes, not the device
// protocol: micro run refuses its project at once, saying why.
TEST(KilnMicroCli, RunRefusesATemplateWithoutTheDeviceProtocolAtOnce) {
  const fs::path dir = test::TempDir("micro_host");
  const std::string project = (dir / "proj").string();
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " micro create-project " + project + " " + (kModelDir / "model.tflite").string() +
                                 " --template host",
                             &out),
            0)
      << out;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(test::RunCommand(Kiln() + " micro run " + project + " --input x.bin", &out), 1) << out;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_THAT(out, HasSubstr("template 'host' carries the model's raw bytes, not Kiln's device protocol"));
}

}  // namespace
}  // namespace kiln
