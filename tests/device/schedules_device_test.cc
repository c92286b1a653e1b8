// The fast int8 schedules on the boards whose cores have what they use.
// schedules_test.cc runs every schedule on the host, where the DSP kernels
// are their portable C; here the code the cores run is checked: the ACLE
// intrinsics and the inline assembly (pipelined loads, SSUB8 with SEL) on
// qemu-cortex-m4, the RV32 kernels built by riscv64-unknown-elf-gcc on
// qemu-rv32. Random layers of schedules_test.cc's kinds (pools too) go into
// one model; each round gives every layer its next candidate schedule the
// board's target offers (knobs both ways), runs the model on the board and
// expects every output equal to the reference schedule's on the host.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>

#include "codegen/generate_c.h"
#include "device/boards.h"
#include "device/device_runner.h"
#include "driver/compile.h"
#include "driver/host_runner.h"
#include "kernels/random_layers.h"
#include "kiln/kernels/conv2d_s8_direct_dsp.h"
#include "target/targets.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

/// Appends a one-node `layer` to `model`: its tensors (renamed apart), its
/// node, its input and output.
void AppendLayer(Graph& model, const Graph& layer, int index) {
  const int offset = static_cast<int>(model.tensors.size());
  for (Tensor t : layer.tensors) {
    t.name = fmt::format("l{}_{}", index, t.name);
    model.tensors.push_back(std::move(t));
  }
  Node node = layer.nodes[0];
  for (int& id : node.inputs)
    if (id >= 0) id += offset;
  for (int& id : node.outputs) id += offset;
  model.nodes.push_back(std::move(node));
  model.inputs.push_back(layer.inputs[0] + offset);
  model.outputs.push_back(layer.outputs[0] + offset);
}

/// Compiles `graph` with one schedule per node for `target` ("" for the
/// host's portable C).
Expected<ModelLibrary> Compile(const Graph& graph, const std::vector<Schedule>& schedules, const std::string& target) {
  CodegenOptions options;
  options.target = target;
  return CompileGraph(graph, options, "schedules_on_board.tflite",
                      [&](const Graph&, const std::vector<const KernelEntry*>&, const KernelScheduleOptions&) {
                        return Expected<std::vector<Schedule>>(schedules);
                      });
}

/// Whether `target` has every feature `schedule` needs.
bool Runs(const Target& target, const Schedule& schedule) {
  for (const std::string& feature : schedule.features)
    if (!target.has_feature(feature)) return false;
  return true;
}

class SchedulesDeviceTest : public testing::TestWithParam<std::string> {};

TEST_P(SchedulesDeviceTest, EveryScheduleOfTheTargetMatchesTheReferenceOnTheBoard) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  auto target = FindTarget((*board)->target);
  ASSERT_TRUE(target.ok()) << target.message();
  test::Random r{std::mt19937(20261205)};
  Graph model;
  model.name = "schedules_on_board";
  std::vector<std::vector<uint8_t>> inputs;
  std::vector<std::vector<Schedule>> variants;  // per layer: its reference schedule, then the board's fast ones
  std::map<std::string, int> checked;
  for (int i = 0; i < 19; ++i) {
    std::vector<uint8_t> input;
    const int kind = i < 10 ? i % 5 : i % 2 == 0 ? 0 : 3;  // then more small-window convolutions, then pools
    const Graph layer = i >= 15     ? test::RandomPool(r, i % 2 == 1 || i == 18, &input, i == 18)
                        : kind == 4 ? test::RandomFullyConnected(r, &input)
                                    : test::RandomConv(r, kind, &input, i % 5 == 2);
    std::vector<Schedule> candidates = test::Candidates(layer);
    std::vector<Schedule> fast = {candidates.front()};
    for (size_t k = 1; k < candidates.size(); ++k)
      if (Runs(**target, candidates[k]) && !candidates[k].features.empty())
        for (const Schedule& v : test::KnobVariants(candidates[k])) fast.push_back(v);
    for (size_t k = 1; k < fast.size(); ++k) {
      ++checked[fast[k].name];
      if (fast[k].name == kDirectDspSchedule) {
        const Attrs& a = layer.nodes[0].attrs;
        const int64_t column = layer.tensors[1].shape[1] * layer.tensors[0].shape[3];
        ++checked[KILN_CONV2D_S8_DIRECT_DSP_IN_PLACE(a.get_int("stride_w"), a.get_int("dilation_w"), column)
                      ? "direct_dsp in place"
                      : "direct_dsp copied windows"];
      }
    }
    AppendLayer(model, layer, i);
    inputs.push_back(std::move(input));
    variants.push_back(std::move(fast));
  }

  const fs::path dir = test::TempDir("schedules_device_" + GetParam());
  std::vector<fs::path> files;
  for (size_t k = 0; k < inputs.size(); ++k) {
    files.push_back(dir / fmt::format("input_{}.bin", k));
    test::WriteBytes(files.back(), inputs[k]);
  }
  std::vector<Schedule> reference;
  size_t rounds = 0;
  for (const auto& v : variants) {
    reference.push_back(v.front());
    rounds = std::max(rounds, v.size() - 1);
  }
  auto host_library = Compile(model, reference, "");
  ASSERT_TRUE(host_library.ok()) << host_library.message();
  auto host = HostExecutable::Build(*host_library);
  ASSERT_TRUE(host.ok()) << host.message();
  ASSERT_TRUE(host->Run(files, dir / "host").ok());

  for (size_t round = 0; round < rounds; ++round) {
    // Layer i takes its fast schedule `round` (its last again once it has none left).
    std::vector<Schedule> schedules;
    for (const auto& v : variants) schedules.push_back(v.size() == 1 ? v[0] : v[std::min(round + 1, v.size() - 1)]);
    auto library = Compile(model, schedules, (*board)->target);
    ASSERT_TRUE(library.ok()) << library.message();
    auto device = DeviceSession::Start(*library, **board);
    ASSERT_TRUE(device.ok()) << device.message();
    const fs::path out = dir / fmt::format("round_{}", round);
    auto ran = (*device)->Run(files, out);
    ASSERT_TRUE(ran.ok()) << ran.message();
    for (size_t k = 0; k < model.nodes.size(); ++k) {
      const std::string file = fmt::format("output_{}.bin", k);
      EXPECT_EQ(test::ReadBytes(out / file), test::ReadBytes(dir / "host" / file))
          << "layer " << k << " " << model.nodes[k].source_op << " with " << schedules[k].label();
    }
  }
  fs::remove_all(dir);
  const std::vector<std::string> expected =
      GetParam() == "qemu-rv32"
          ? std::vector<std::string>{"gemm_rv32", "im2col_gemm_rv32", "depthwise_planar_rv32", "direct_rv32"}
          : std::vector<std::string>{"gemm_dsp",
                                     "im2col_gemm_dsp",
                                     "depthwise_dsp",
                                     "direct_dsp",
                                     "depthwise_planar_dsp",
                                     "direct_dsp in place",
                                     "direct_dsp copied windows",
                                     "pool_dsp"};
  for (const std::string& name : expected) EXPECT_GE(checked[name], 1) << name;
}

INSTANTIATE_TEST_SUITE_P(Boards, SchedulesDeviceTest, testing::Values("qemu-cortex-m4", "qemu-rv32"),
                         test::BoardTestName());

}  // namespace
}  // namespace kiln
