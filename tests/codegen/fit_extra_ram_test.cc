// Schedules that take more RAM for speed keep it only where the memory
// plan does not grow (src/codegen/fit_extra_ram.cc), on person_detect:
// its 48x48 depthwise layers are at the workspace's peak, its deeper ones
// far below it.
#include "codegen/fit_extra_ram.h"

#include <gtest/gtest.h>

#include "driver/compile.h"
#include "kernels/gemm_lowering.h"
#include "kernels/select_kernels.h"
#include "target/targets.h"
#include "test_support.h"

namespace kiln {
namespace {

int64_t Workspace(const GeneratedCode& code) { return code.plan.pool_sizes.at(kWorkspacePool); }

TEST(FitExtraRam, PersonDetectTakesFourPlanesOnlyWhereItsWorkspaceStays) {
  auto graph = ImportModelFile(test::SharedDir() / "models" / "tflite" / "person_detect" / "model.tflite");
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto kernels = SelectKernels(*graph);
  ASSERT_TRUE(kernels.ok()) << kernels.message();
  CodegenOptions options;
  options.target = "cortex-m4";
  auto schedule_options = KernelScheduleOptionsFor(options);
  ASSERT_TRUE(schedule_options.ok());
  const std::vector<Schedule> fastest = ChooseSchedules(*graph, *kernels, *schedule_options);
  std::vector<Schedule> lean = fastest;
  int extra = 0;
  for (size_t i = 0; i < lean.size(); ++i)
    if (lean[i].extra_ram_bytes > 0) {
      EXPECT_EQ(lean[i].knob(kPlanesKnob), 4) << i;
      lean[i] = BestSchedule(*graph, graph->nodes[i], *(*kernels)[i], *schedule_options, /*lean=*/true);
      ++extra;
    }
  ASSERT_GE(extra, 10);  // the cost model would copy four planes at once in every depthwise layer
  auto fastest_code = GenerateC(*graph, *kernels, fastest, options);
  auto lean_code = GenerateC(*graph, *kernels, lean, options);
  ASSERT_TRUE(fastest_code.ok() && lean_code.ok());
  ASSERT_GT(Workspace(*fastest_code), Workspace(*lean_code));  // ... which would grow the workspace

  std::vector<Schedule> fitted = fastest;
  auto fitted_code = GenerateCFittingRam(*graph, *kernels, *schedule_options, fitted, options);
  ASSERT_TRUE(fitted_code.ok()) << fitted_code.message();
  EXPECT_EQ(Workspace(*fitted_code), Workspace(*lean_code));
  int four = 0;
  for (size_t i = 0; i < fitted.size(); ++i) {
    EXPECT_EQ(fitted[i].label(), fitted_code->node_schedules[i].label()) << i;
    if (fitted[i].name == kPlanarDepthwiseSchedule && fitted[i].knob(kPlanesKnob) == 4) ++four;
  }
  EXPECT_EQ(fitted[1].knob(kPlanesKnob), 1);  // the first depthwise layer, 48x48x8, at the peak
  EXPECT_GE(four, 5);                         // the 6x6 ones, far below it
}

// A --pool the fastest plan overflows: the lean plan that fits is taken,
// not the overflow reported.
TEST(FitExtraRam, APoolOnlyTheLeanPlanFitsTakesIt) {
  auto graph = ImportModelFile(test::SharedDir() / "models" / "tflite" / "person_detect" / "model.tflite");
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto kernels = SelectKernels(*graph);
  ASSERT_TRUE(kernels.ok());
  CodegenOptions options;
  options.target = "cortex-m4";
  auto schedule_options = KernelScheduleOptionsFor(options);
  ASSERT_TRUE(schedule_options.ok());
  std::vector<Schedule> schedules = ChooseSchedules(*graph, *kernels, *schedule_options);
  auto unbounded = GenerateCFittingRam(*graph, *kernels, *schedule_options, schedules, options);
  ASSERT_TRUE(unbounded.ok());
  options.pools.pools = {PoolSpec{.name = "sram", .capacity = Workspace(*unbounded)}};
  const std::vector<Schedule> fastest = ChooseSchedules(*graph, *kernels, *schedule_options);
  EXPECT_FALSE(GenerateC(*graph, *kernels, fastest, options).ok());  // four planes everywhere overflow it
  std::vector<Schedule> fitted = fastest;
  auto code = GenerateCFittingRam(*graph, *kernels, *schedule_options, fitted, options);
  ASSERT_TRUE(code.ok()) << code.message();
  EXPECT_LE(code->plan.pool_sizes.at("sram"), Workspace(*unbounded));
}

// A given choice (kiln tune measuring one candidate) is lowered as it is:
// its four planes are what the board times.
TEST(FitExtraRam, AGivenChoiceIsLoweredAsItIs) {
  CodegenOptions options;
  options.target = "cortex-m4";
  auto graph = ImportModelFile(test::SharedDir() / "models" / "tflite" / "person_detect" / "model.tflite");
  ASSERT_TRUE(graph.ok());
  auto fastest = [](const Graph& g, const std::vector<const KernelEntry*>& k,
                    const KernelScheduleOptions& o) -> Expected<std::vector<Schedule>> {
    return ChooseSchedules(g, k, o);
  };
  auto given = CompileGraph(*graph, options, "model.tflite", fastest);
  auto fitted = CompileGraph(*graph, options, "model.tflite");
  ASSERT_TRUE(given.ok() && fitted.ok());
  auto workspace = [](const ModelLibrary& lib) {
    for (const auto& pool : lib.metadata.at("memory").at("pools"))
      if (pool.at("name") == kWorkspacePool) return pool.at("size_bytes").get<int64_t>();
    return int64_t{-1};
  };
  EXPECT_GT(workspace(*given), workspace(*fitted));
}

}  // namespace
}  // namespace kiln
