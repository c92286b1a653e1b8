// End to end on the shared models: every case of every model in
// ../shared/models/tflite compiled, built for the host, run, and compared
// with the reference output produced by TensorFlow Lite Micro: byte for
// byte for integer outputs, within a stated tolerance for float32.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "driver/compile.h"
#include "driver/host_runner.h"
#include "memory/planners.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

// Float32 outputs must match TFLM within |a - b| <= kAbs + kRel * |b|:
// kernels accumulate in a different order than TFLM's, nothing more.
constexpr float kAbsTolerance = 1e-5f;
constexpr float kRelTolerance = 1e-5f;

std::vector<std::string> SharedModels() {
  std::vector<std::string> names;
  const fs::path root = test::SharedDir() / "models" / "tflite";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (fs::exists(entry.path() / "model.tflite")) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// Every case of `model` compiled with `options` (and built with
/// `extra_cflags`) matches the reference.
void ExpectEveryCaseMatches(const std::string& model, const CodegenOptions& options,
                            const std::vector<std::string>& extra_cflags = {}) {
  const fs::path dir = test::SharedDir() / "models" / "tflite" / model;
  auto library = CompileModelFile(dir / "model.tflite", options);
  ASSERT_TRUE(library.ok()) << library.message();
  auto exe = HostExecutable::Build(*library, extra_cflags);
  ASSERT_TRUE(exe.ok()) << exe.message();
  const DType out_dtype = exe->interface().outputs.at(0).dtype;

  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir / "cases")) {
    SCOPED_TRACE(entry.path().filename().string());
    std::vector<fs::path> inputs;
    for (int k = 0; fs::exists(entry.path() / ("input_" + std::to_string(k) + ".bin")); ++k)
      inputs.push_back(entry.path() / ("input_" + std::to_string(k) + ".bin"));
    const fs::path out = test::TempDir("e2e");
    Status ran = exe->Run(inputs, out);
    ASSERT_TRUE(ran.ok()) << ran.message();
    const auto expected = test::ReadBytes(entry.path() / "output_0.bin");
    const auto actual = test::ReadBytes(out / "output_0.bin");
    ASSERT_EQ(actual.size(), expected.size());
    if (out_dtype == DType::kFloat32) {
      for (size_t i = 0; i + 4 <= actual.size(); i += 4) {
        float a, b;
        std::memcpy(&a, &actual[i], 4);
        std::memcpy(&b, &expected[i], 4);
        EXPECT_LE(std::fabs(a - b), kAbsTolerance + kRelTolerance * std::fabs(b)) << "element " << i / 4;
      }
    } else {
      EXPECT_EQ(actual, expected);
    }
    fs::remove_all(out);
    ++cases;
  }
  EXPECT_GT(cases, 0);
}

class SharedModelTest : public testing::TestWithParam<std::string> {};

TEST_P(SharedModelTest, EveryCaseMatchesTheReference) { ExpectEveryCaseMatches(GetParam(), CodegenOptions{}); }

// The schedules each target chooses (the DSP ones for a Cortex-M4, run here
// through their portable C; the reference loops with --opt size where a
// schedule would grow the weights) stay bit-exact on every case.
TEST_P(SharedModelTest, EveryTargetsSchedulesStayBitExact) {
  for (const char* target : {"cortex-m4", "cortex-m0"}) {
    SCOPED_TRACE(target);
    CodegenOptions options;
    options.target = target;
    ExpectEveryCaseMatches(GetParam(), options);
  }
}

// The graph executor runs the same kernels from a blob: every case the
// same, with the portable and the Cortex-M4 schedules, over split pools,
// and without undefined behaviour in the interpreter or the calls.
TEST_P(SharedModelTest, TheGraphExecutorStaysBitExact) {
  const std::vector<std::string> ubsan = {"-fsanitize=undefined", "-fno-sanitize-recover=all"};
  for (const char* target : {"", "cortex-m4"}) {
    SCOPED_TRACE(target);
    CodegenOptions options;
    options.executor = "graph";
    options.target = target;
    ExpectEveryCaseMatches(GetParam(), options, ubsan);
  }
  CodegenOptions split;
  split.executor = "graph";
  split.pools.pools = {{"dtcm", 4096, false, 64}, {"sram", 1 << 20, false, 16}};
  ExpectEveryCaseMatches(GetParam(), split);
}

// The generated C and the runtime kernels, portable and each target's
// schedules, run every case without undefined behaviour: no signed
// overflow, no shift out of range, no misaligned or out-of-bounds access
// that UBSan sees. The sanitizer stops the program at the first report,
// which fails the run.
TEST_P(SharedModelTest, EveryCaseRunsWithoutUndefinedBehaviour) {
  const std::vector<std::string> ubsan = {"-fsanitize=undefined", "-fno-sanitize-recover=all"};
  for (const char* target : {"", "cortex-m4", "cortex-m0"}) {
    SCOPED_TRACE(target);
    CodegenOptions options;
    options.target = target;
    ExpectEveryCaseMatches(GetParam(), options, ubsan);
  }
}

// Aliases and streaming overlaps change where buffers are, never what the
// model computes: bit-exact with every planner, and with buffers spread
// over two small pools.
TEST_P(SharedModelTest, EveryPlannerAndPoolSplitStaysBitExact) {
  for (const PlannerInfo& planner : AllPlanners()) {
    SCOPED_TRACE(planner.name);
    CodegenOptions options;
    options.planner = std::string(planner.name);
    ExpectEveryCaseMatches(GetParam(), options);
  }
  CodegenOptions split;
  split.pools.pools = {{"dtcm", 4096, false, 64}, {"sram", 1 << 20, false, 16}};
  ExpectEveryCaseMatches(GetParam(), split);
}

// --io-in-pools: the harness writes the inputs into the pools and reads the
// outputs from there (no copies), with every planner; then the inputs may
// be aliased and streamed over like any activation.
TEST_P(SharedModelTest, InputsAndOutputsInPoolsStayBitExact) {
  for (const PlannerInfo& planner : AllPlanners()) {
    SCOPED_TRACE(planner.name);
    CodegenOptions options;
    options.planner = std::string(planner.name);
    options.io_in_pools = true;
    ExpectEveryCaseMatches(GetParam(), options);
  }
}

// The suites above are instantiated from the folder's contents: a model
// missing from it would shrink them silently.
TEST(SharedModels, EveryKnownModelIsThere) {
  const std::vector<std::string> models = SharedModels();
  for (const char* known : {"hello_world_float", "hello_world_int8", "keyword_scrambled_8bit",
                            "micro_speech_quantized", "person_detect"})
    EXPECT_NE(std::find(models.begin(), models.end(), known), models.end()) << known;
}

INSTANTIATE_TEST_SUITE_P(Models, SharedModelTest, testing::ValuesIn(SharedModels()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kiln
