// `kiln debug` as a user meets it: one line per operator output, the
// first divergent operator named, on the host and on the emulated boards;
// a deliberately broken operator (--inject-fault) is found, exactly that
// one; --dump writes .npy files NumPy reads, and --against reads them back.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <regex>

#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

std::string Kiln() { return test::KilnBinary().string(); }
std::string Model(const std::string& name) { return (test::SharedTfliteModelDir(name) / "model.tflite").string(); }
std::string Input(const std::string& name, const std::string& c = "seed_0x00c0ffee") {
  return (test::SharedTfliteModelDir(name) / "cases" / c / "input_0.bin").string();
}

/// The step `kiln debug` named as the first divergence, or -1.
int FirstDivergence(const std::string& out) {
  std::smatch m;
  if (!std::regex_search(out, m, std::regex("first divergence: step ([0-9]+),"))) return -1;
  return std::stoi(m[1].str());
}

/// Rows of the table: lines that start with a step number.
int Rows(const std::string& out) {
  static const std::regex kRow("(^|\n) +[0-9]+  [A-Z]");
  return static_cast<int>(std::distance(std::sregex_iterator(out.begin(), out.end(), kRow), std::sregex_iterator()));
}

TEST(KilnDebugCli, AModelAgainstItselfHasNoDivergence) {
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model("person_detect") + " --input " + Input("person_detect"), &out), 0)
      << out;
  EXPECT_EQ(Rows(out), 31) << out;
  EXPECT_THAT(out, testing::ContainsRegex(" 0  DEPTHWISE_CONV_2D #0 +\\.\\.\\.enetV1/MobilenetV1/Conv2d_0/Relu6 int8 +"
                                          "\\[1,48,48,8\\] +0  0 of 18432"));
  EXPECT_THAT(out, HasSubstr("no divergence: 31 of 31 outputs compared, all equal"));
}

// Every operator of a model in turn is broken on the host; each time the
// debugger must name that operator and no earlier one.
TEST(KilnDebugCli, NamesExactlyTheBrokenOperatorOnTheHost) {
  for (const std::string model : {"micro_speech_quantized", "hello_world_float"}) {
    std::string out;
    ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model(model) + " --input " + Input(model), &out), 0) << out;
    const int operators = Rows(out);
    ASSERT_GT(operators, 2) << out;
    for (int step = 0; step < operators; ++step) {
      ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model(model) + " --input " + Input(model) +
                                     " --inject-fault " + std::to_string(step),
                                 &out),
                4)
          << model << " step " << step << "\n" << out;
      EXPECT_EQ(FirstDivergence(out), step) << model << "\n" << out;
    }
  }
}

TEST(KilnDebugCli, NamesTheBrokenOperatorOnTheBoards) {
  ASSERT_TRUE(test::Installed("arm-none-eabi-gcc"));
  ASSERT_TRUE(test::Installed("qemu-system-arm"));
  ASSERT_TRUE(test::Installed("riscv64-unknown-elf-gcc"));
  ASSERT_TRUE(test::Installed("qemu-system-riscv32"));
  std::string out;
  // The DSP schedules on the Cortex-M4 against the portable C on the host;
  // a 4 KiB capture buffer, so the 232 KB of tensors take 57 windows.
  ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model("person_detect") + " --input " + Input("person_detect") +
                                 " --device qemu-cortex-m4 --capture-buffer 4096",
                             &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("31 operator outputs of one inference on qemu-cortex-m4, against the host build with "
                             "portable C kernels"));
  EXPECT_THAT(out, HasSubstr("no divergence: 31 of 31"));
  ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model("person_detect") + " --input " + Input("person_detect") +
                                 " --device qemu-cortex-m4 --inject-fault 13",
                             &out),
            4)
      << out;
  EXPECT_EQ(FirstDivergence(out), 13) << out;
  EXPECT_THAT(out, HasSubstr("first divergence: step 13, operator #13 DEPTHWISE_CONV_2D"));
  for (const char* board : {"qemu-rv32", "qemu-cortex-m3", "qemu-cortex-m55"}) {
    ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model("micro_speech_quantized") + " --input " +
                                   Input("micro_speech_quantized") + " --device " + board + " --inject-fault 1",
                               &out),
              4)
        << board << "\n" << out;
    EXPECT_EQ(FirstDivergence(out), 1) << board << "\n" << out;
  }
}

TEST(KilnDebugCli, DumpWritesNpyThatAgainstReadsBack) {
  ASSERT_TRUE(test::InstalledData("/usr/lib/python3/dist-packages/numpy", "python3-numpy"));
  const fs::path dir = test::TempDir("debug_dump");
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model("person_detect") + " --input " + Input("person_detect") +
                                 " --inject-fault 20 --dump " + (dir / "broken").string(),
                             &out),
            4)
      << out;
  EXPECT_THAT(out, HasSubstr("wrote 31 tensors and index.json"));
  // NumPy reads the dump; the last tensor is the model's output.
  ASSERT_EQ(test::RunCommand("/usr/bin/python3 -c \"import json, numpy as np; d = '" + (dir / "broken").string() +
                                 "'; t = json.load(open(d + '/index.json'))['tensors']; "
                                 "a = np.load(d + '/' + t[5]['file']); print(len(t), t[5]['op'], a.dtype, a.shape)\"",
                             &out),
            0)
      << out;
  EXPECT_EQ(out, "31 DEPTHWISE_CONV_2D int8 (1, 24, 24, 32)\n");
  // The healthy model against the broken run's tensors: step 20 is where they part.
  ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model("person_detect") + " --input " + Input("person_detect") +
                                 " --against " + (dir / "broken").string(),
                             &out),
            4)
      << out;
  EXPECT_EQ(FirstDivergence(out), 20) << out;
  EXPECT_THAT(out, HasSubstr("against the tensors in"));
  // A folder of the user's own: files by tensor name; what is missing is said.
  const fs::path own = dir / "own";
  fs::create_directories(own);
  ASSERT_EQ(test::RunCommand("/usr/bin/python3 -c \"import numpy as np; "
                                 "np.save('" + (own / "MobilenetV1_Predictions_Reshape_1.npy").string() +
                                 "', np.array([[-128, 127]], dtype=np.int8))\"",
                             &out),
            0)
      << out;
  ASSERT_EQ(test::RunCommand(Kiln() + " debug " + Model("person_detect") + " --input " + Input("person_detect", "zeros") +
                                 " --against " + own.string(),
                             &out),
            4)
      << out;
  EXPECT_THAT(out, HasSubstr("not compared: no reference tensor"));
  EXPECT_EQ(FirstDivergence(out), 30) << out;
  fs::remove_all(dir);
}

TEST(KilnDebugCli, BadRequestsAreClearErrors) {
  const fs::path dir = test::TempDir("debug_errors");
  std::string out;
  const std::string base = Kiln() + " debug " + Model("hello_world_int8") + " --input " + Input("hello_world_int8");
  EXPECT_EQ(test::RunCommand(base + " --inject-fault 3", &out), 1);
  EXPECT_THAT(out, HasSubstr("--inject-fault 3: the model has operators 0 to 2"));
  EXPECT_EQ(test::RunCommand(base + " --against " + (dir / "none").string(), &out), 1);
  EXPECT_THAT(out, HasSubstr("is not a folder"));
  EXPECT_EQ(test::RunCommand(base + " --executor graph", &out), 1);
  EXPECT_THAT(out, HasSubstr("kiln debug captures the AoT executor"));
  EXPECT_EQ(test::RunCommand(base + " --device qemu-nonesuch", &out), 1);
  EXPECT_THAT(out, HasSubstr("qemu-nonesuch"));
  EXPECT_EQ(test::RunCommand(Kiln() + " debug " + Model("hello_world_int8") + " --input " + Input("person_detect"), &out),
            1);
  EXPECT_THAT(out, HasSubstr("needs 1"));
  // A corrupt reference file is named.
  fs::create_directories(dir / "bad");
  test::WriteBytes(dir / "bad" / "StatefulPartitionedCall_0.npy", {1, 2, 3});
  EXPECT_EQ(test::RunCommand(base + " --against " + (dir / "bad").string(), &out), 1);
  EXPECT_THAT(out, HasSubstr("StatefulPartitionedCall_0.npy': not a .npy file"));
  ASSERT_EQ(test::RunCommand(Kiln() + " compile " + Model("hello_world_int8") + " -o " + (dir / "m.tar").string(), &out),
            0)
      << out;
  EXPECT_EQ(test::RunCommand(Kiln() + " debug " + (dir / "m.tar").string() + " --input " + Input("hello_world_int8"),
                             &out),
            1);
  EXPECT_THAT(out, HasSubstr("give it the .tflite or .onnx file"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kiln
