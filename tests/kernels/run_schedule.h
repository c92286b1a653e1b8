// Runs a one-node model on the host with a given schedule: compiled to C,
// archived, built and run as `kiln run` would. Shared by the schedule tests.
#ifndef KILN_TESTS_KERNELS_RUN_SCHEDULE_H_
#define KILN_TESTS_KERNELS_RUN_SCHEDULE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "codegen/generate_c.h"
#include "driver/host_runner.h"
#include "kernels/select_kernels.h"
#include "mlf/model_library.h"
#include "test_support.h"

namespace kiln::test {

/// Compiles `graph` with `schedules` (one per node), runs it on the host with
/// one input file per model input.
inline std::vector<uint8_t> RunWithSchedules(const Graph& graph, const std::vector<Schedule>& schedules,
                                             const std::vector<std::vector<uint8_t>>& inputs) {
  auto kernels = SelectKernels(graph);
  EXPECT_TRUE(kernels.ok()) << kernels.message();
  if (!kernels.ok()) return {};
  auto code = GenerateC(graph, *kernels, schedules, CodegenOptions{});
  EXPECT_TRUE(code.ok()) << code.message();
  if (!code.ok()) return {};
  auto library = BuildModelLibrary(graph, *code, CompileRecord{"test", "hill-climb", "", false, "", "speed"});
  EXPECT_TRUE(library.ok()) << library.message();
  auto exe = HostExecutable::Build(*library);
  EXPECT_TRUE(exe.ok()) << exe.message();
  if (!exe.ok()) return {};
  const auto dir = test::TempDir("schedules");
  std::vector<std::filesystem::path> files;
  for (size_t i = 0; i < inputs.size(); ++i) {
    files.push_back(dir / fmt::format("input_{}.bin", i));
    test::WriteBytes(files.back(), inputs[i]);
  }
  const Status ran = exe->Run(files, dir / "out");
  EXPECT_TRUE(ran.ok()) << ran.message();
  return test::ReadBytes(dir / "out" / "output_0.bin");
}

/// The one-node `graph` with `schedule`.
inline std::vector<uint8_t> RunWithInputs(const Graph& graph, const Schedule& schedule,
                                          const std::vector<std::vector<uint8_t>>& inputs) {
  return RunWithSchedules(graph, {schedule}, inputs);
}

inline std::vector<uint8_t> RunWith(const Graph& graph, const Schedule& schedule, const std::vector<uint8_t>& input) {
  return RunWithInputs(graph, schedule, {input});
}

/// The first, the last and two between of a generated space's `points`,
/// each compiled as `graph`'s schedule (shape-specialised copies) and run
/// on the host against the reference schedule; the number run.
inline int ExpectSpreadMatchesReference(const Graph& graph, const std::vector<uint8_t>& input,
                                        const std::vector<Schedule>& points) {
  const std::vector<uint8_t> expected = RunWith(graph, Schedule{}, input);
  int run = 0;
  for (size_t k : {size_t{0}, points.size() / 3, 2 * points.size() / 3, points.size() - 1}) {
    SCOPED_TRACE(fmt::format("{} {}", ShapeString(graph.tensors[1].shape), points[k].label()));
    EXPECT_EQ(RunWith(graph, points[k], input), expected);
    ++run;
  }
  return run;
}

}  // namespace kiln::test

#endif  // KILN_TESTS_KERNELS_RUN_SCHEDULE_H_
