// End to end on the emulated boards: every case of every shared model,
// compiled, built for the board with its cross compiler, booted in QEMU and
// driven over the device protocol, gives exactly the host's output (and so
// TensorFlow Lite Micro's). One boot per model and board; RESET between
// cases so that stateful models (SVDF) start each case fresh, as on the host.
#include <gtest/gtest.h>

#include "device/device_runner.h"
#include "driver/compile.h"
#include "driver/host_runner.h"
#include "memory/planners.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

std::vector<std::tuple<std::string, std::string>> Cases() {
  std::vector<std::tuple<std::string, std::string>> out;
  std::vector<std::string> models;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(test::SharedDir() / "models" / "tflite", ec))
    models.push_back(e.path().filename().string());
  std::sort(models.begin(), models.end());
  for (const Board& b : AllBoards())
    for (const auto& m : models) out.emplace_back(std::string(b.name), m);
  return out;
}

class DeviceRunTest : public testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(DeviceRunTest, EveryCaseMatchesTheHost) {
  const auto& [board_name, model] = GetParam();
  auto found = FindBoard(board_name);
  ASSERT_TRUE(found.ok()) << found.message();
  const Board& board = **found;
  const fs::path dir = test::SharedDir() / "models" / "tflite" / model;
  auto library = CompileModelFile(dir / "model.tflite", CodegenOptions{});
  ASSERT_TRUE(library.ok()) << library.message();
  auto host = HostExecutable::Build(*library);
  ASSERT_TRUE(host.ok()) << host.message();
  auto device = DeviceSession::Start(*library, board);
  ASSERT_TRUE(device.ok()) << device.message();

  const fs::path out = test::TempDir("device");
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir / "cases")) {
    SCOPED_TRACE(entry.path().filename().string());
    const std::vector<fs::path> inputs = {entry.path() / "input_0.bin"};
    ASSERT_TRUE((*device)->client().Reset().ok());
    auto ticks = (*device)->Run(inputs, out / "device");
    ASSERT_TRUE(ticks.ok()) << ticks.message();
    EXPECT_GT(*ticks, 0u);
    ASSERT_TRUE(host->Run(inputs, out / "host").ok());
    EXPECT_EQ(test::ReadBytes(out / "device" / "output_0.bin"), test::ReadBytes(out / "host" / "output_0.bin"));
    ++cases;
  }
  EXPECT_GT(cases, 0);
  fs::remove_all(out);
}

// The graph executor on the board (its blob linked into the firmware, the
// interpreter and the calls cross-compiled): the first case of each model
// matches the host's AoT build.
TEST_P(DeviceRunTest, TheGraphExecutorMatchesTheHost) {
  const auto& [board_name, model] = GetParam();
  auto found = FindBoard(board_name);
  ASSERT_TRUE(found.ok()) << found.message();
  const fs::path dir = test::SharedDir() / "models" / "tflite" / model;
  const fs::path first_case = dir / "cases" / "seed_0x00c0ffee";
  const std::vector<fs::path> inputs = {first_case / "input_0.bin"};
  auto reference = CompileModelFile(dir / "model.tflite", CodegenOptions{});
  ASSERT_TRUE(reference.ok()) << reference.message();
  auto host = HostExecutable::Build(*reference);
  ASSERT_TRUE(host.ok()) << host.message();
  CodegenOptions graph;
  graph.executor = "graph";
  UseBoardDefaults(**found, graph.target, graph.flash_budget);
  auto library = CompileModelFile(dir / "model.tflite", graph);
  ASSERT_TRUE(library.ok()) << library.message();
  auto device = DeviceSession::Start(*library, **found);
  ASSERT_TRUE(device.ok()) << device.message();
  const fs::path out = test::TempDir("device_graph");
  ASSERT_TRUE((*device)->Run(inputs, out / "device").ok());
  ASSERT_TRUE(host->Run(inputs, out / "host").ok());
  EXPECT_EQ(test::ReadBytes(out / "device" / "output_0.bin"), test::ReadBytes(out / "host" / "output_0.bin"));
  fs::remove_all(out);
}

// Every planner, with the inputs and outputs in the pools (the device
// server then writes the input into the workspace and the kernels run over
// it in place): the first case of each model still matches the host.
TEST_P(DeviceRunTest, EveryPlannerWithIoInPoolsMatchesTheHost) {
  const auto& [board_name, model] = GetParam();
  auto found = FindBoard(board_name);
  ASSERT_TRUE(found.ok()) << found.message();
  const fs::path dir = test::SharedDir() / "models" / "tflite" / model;
  fs::path first_case;
  for (const auto& entry : fs::directory_iterator(dir / "cases"))
    if (first_case.empty() || entry.path() < first_case) first_case = entry.path();
  ASSERT_FALSE(first_case.empty());
  const std::vector<fs::path> inputs = {first_case / "input_0.bin"};
  const fs::path out = test::TempDir("device_planners");
  auto reference = CompileModelFile(dir / "model.tflite", CodegenOptions{});
  ASSERT_TRUE(reference.ok()) << reference.message();
  auto host = HostExecutable::Build(*reference);
  ASSERT_TRUE(host.ok()) << host.message();
  ASSERT_TRUE(host->Run(inputs, out / "host").ok());
  for (const PlannerInfo& planner : AllPlanners()) {
    SCOPED_TRACE(planner.name);
    CodegenOptions options;
    options.planner = std::string(planner.name);
    options.io_in_pools = true;
    auto library = CompileModelFile(dir / "model.tflite", options);
    ASSERT_TRUE(library.ok()) << library.message();
    auto device = DeviceSession::Start(*library, **found);
    ASSERT_TRUE(device.ok()) << device.message();
    auto ticks = (*device)->Run(inputs, out / "device");
    ASSERT_TRUE(ticks.ok()) << ticks.message();
    EXPECT_EQ(test::ReadBytes(out / "device" / "output_0.bin"), test::ReadBytes(out / "host" / "output_0.bin"));
  }
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Boards, DeviceRunTest, testing::ValuesIn(Cases()), [](const auto& info) {
  return test::TestNameOf(std::get<0>(info.param) + "_" + std::get<1>(info.param));
});

}  // namespace
}  // namespace kiln
