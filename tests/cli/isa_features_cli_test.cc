// ISA features end to end: each board's device reports its core, `kiln
// micro info` prints it; a build needing a feature the board's core lacks
// is refused before anything is built or written, and a project whose
// recorded target does not fit the device's reported core is refused at
// connect time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

std::string Kiln() { return test::KilnBinary().string(); }
const fs::path kModelDir = test::SharedDir() / "models" / "tflite" / "micro_speech_quantized";
const fs::path kCase = kModelDir / "cases" / "seed_0x12345678";

TEST(IsaFeaturesCli, ADspBuildIsRefusedForTheCortexM3BoardNamingTheExtension) {
  ASSERT_TRUE(test::Installed("arm-none-eabi-gcc"));
  const fs::path out = test::TempDir("m3_refusal") / "out";
  std::string text;
  EXPECT_EQ(test::RunCommand(Kiln() + " run " + (kModelDir / "model.tflite").string() +
                                 " --target cortex-m4 --device qemu-cortex-m3 --input " +
                                 (kCase / "input_0.bin").string() + " --output-dir " + out.string(),
                             &text),
            1)
      << text;
  EXPECT_THAT(text, HasSubstr("compiled for --target cortex-m4"));
  EXPECT_THAT(text, HasSubstr("board qemu-cortex-m3"));
  EXPECT_THAT(text, HasSubstr("lacks the Arm DSP extension"));
  EXPECT_FALSE(fs::exists(out / "output_0.bin"));

  // The same model for the board's own processor runs there, bit-exact.
  ASSERT_EQ(test::RunCommand(Kiln() + " run " + (kModelDir / "model.tflite").string() +
                                 " --device qemu-cortex-m3 --input " + (kCase / "input_0.bin").string() +
                                 " --output-dir " + out.string(),
                             &text),
            0)
      << text;
  EXPECT_EQ(test::ReadBytes(out / "output_0.bin"), test::ReadBytes(kCase / "output_0.bin"));
}

struct BoardCore {
  const char* board;
  const char* core;
  const char* features;
};

TEST(IsaFeaturesCli, MicroInfoPrintsWhatEachDeviceReports) {
  for (const char* tool : {"arm-none-eabi-gcc", "riscv64-unknown-elf-gcc", "qemu-system-arm", "qemu-system-riscv32"})
    ASSERT_TRUE(test::Installed(tool));
  const fs::path dir = test::TempDir("micro_info");
  for (const BoardCore& b : {BoardCore{"qemu-cortex-m3", "Arm Cortex-M3 r", "features:   sdiv\n"},
                             BoardCore{"qemu-cortex-m4", "Arm Cortex-M4 r", "features:   dsp fpu-sp sdiv\n"},
                             BoardCore{"qemu-cortex-m55", "Arm Cortex-M55 r", "features:   dsp fpu-sp fpu-dp mve sdiv\n"},
                             BoardCore{"qemu-rv32", "RISC-V rv32i", "features:   rv32i m a "}}) {
    SCOPED_TRACE(b.board);
    const std::string project = (dir / b.board).string();
    std::string out;
    ASSERT_EQ(test::RunCommand(Kiln() + " micro create-project " + project + " " +
                                   (kModelDir / "model.tflite").string() + " --template " + b.board,
                               &out),
              0)
        << out;
    ASSERT_EQ(test::RunCommand(Kiln() + " micro build " + project, &out), 0) << out;
    ASSERT_EQ(test::RunCommand(Kiln() + " micro flash " + project, &out), 0) << out;
    ASSERT_EQ(test::RunCommand(Kiln() + " micro info " + project, &out), 0) << out;
    EXPECT_THAT(out, HasSubstr("core:       " + std::string(b.core)));
    EXPECT_THAT(out, HasSubstr(b.features));
    EXPECT_THAT(out, HasSubstr("fits this core"));
    EXPECT_THAT(out, HasSubstr("model:      "));
  }

  // The Cortex-M3 project claiming a cortex-m4 build (as a project made
  // elsewhere might): the device's own report refuses it.
  const fs::path record = dir / "qemu-cortex-m3" / "kiln-project.json";
  nlohmann::json j = nlohmann::json::parse(std::ifstream(record));
  j["metadata"]["target_processor"] = {{"name", "cortex-m4"}, {"features", {"dsp", "fpu-sp"}}};
  std::ofstream(record) << j.dump(2);
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " micro info " + (dir / "qemu-cortex-m3").string(), &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("does NOT fit this core"));
  EXPECT_EQ(test::RunCommand(Kiln() + " micro run " + (dir / "qemu-cortex-m3").string() + " --input " +
                                 (kCase / "input_0.bin").string() + " --output-dir " + (dir / "out").string(),
                             &out),
            1)
      << out;
  EXPECT_THAT(out, HasSubstr("the device's core (Arm Cortex-M3 r0p1) lacks the Arm DSP extension"));
  EXPECT_FALSE(fs::exists(dir / "out" / "output_0.bin"));
}

}  // namespace
}  // namespace kiln
