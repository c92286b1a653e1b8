// RAM per operator from the plan: overlapping buffers counted once, scratch
// apart, and on the shared models never above the pool nor below the bound
// at the peak step.
#include "report/step_usage.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "driver/compile.h"
#include "test_support.h"

namespace kiln::report {
namespace {

TEST(UsagePerStep, CountsSharedBytesOnceAndScratchApart) {
  const auto metadata = nlohmann::json::parse(R"({
    "operators": [{"op": "A"}, {"op": "B"}, {"op": "C"}],
    "memory": {
      "pools": [{"name": "workspace", "size_bytes": 160}, {"name": "flash", "read_only": true}],
      "buffers": [
        {"name": "%1", "pool": "workspace", "offset": 64, "size_bytes": 96, "live": [0, 1]},
        {"name": "%2", "pool": "workspace", "offset": 0, "size_bytes": 112, "live": [1, 2],
         "overlaps": {"input": "%1", "distance_bytes": 64}},
        {"name": "scratch#0", "pool": "workspace", "offset": 0, "size_bytes": 32, "live": [0, 0]},
        {"name": "%9", "pool": "flash", "offset": 0, "size_bytes": 1000, "live": [0, 2]}]}})");
  const auto usage = UsagePerStep(metadata);
  ASSERT_EQ(usage.size(), 3u);
  EXPECT_EQ(usage[0].tensor_bytes, 96);
  EXPECT_EQ(usage[0].scratch_bytes, 32);
  EXPECT_EQ(usage[1].tensor_bytes, 160);  // [0,112) and [64,160): 48 bytes shared
  EXPECT_EQ(usage[1].scratch_bytes, 0);
  EXPECT_EQ(usage[2].total(), 112);
}

TEST(UsagePerStep, PeakLiesBetweenTheLowerBoundAndThePlannedSize) {
  for (const char* model : {"micro_speech_quantized", "person_detect"}) {
    auto library = CompileModelFile(test::SharedDir() / "models" / "tflite" / model / "model.tflite", {});
    ASSERT_TRUE(library.ok()) << library.message();
    const auto& memory = library->metadata["memory"];
    ASSERT_FALSE(memory["pools"].empty()) << model;
    int64_t planned = 0, bound = 0;
    for (const auto& pool : memory["pools"]) {
      planned += pool.value("size_bytes", int64_t{0});
      bound = std::max(bound, pool.value("lower_bound_bytes", int64_t{0}));
    }
    const auto usage = UsagePerStep(library->metadata);
    ASSERT_FALSE(usage.empty()) << model;
    ASSERT_EQ(usage.size(), library->metadata["operators"].size());
    int64_t peak = 0;
    for (const auto& u : usage) peak = std::max(peak, u.total());
    EXPECT_LE(peak, planned) << model;
    EXPECT_GE(peak, bound) << model;
  }
}

}  // namespace
}  // namespace kiln::report
