// IF and WHILE end to end: TFLite models whose subgraphs the importer
// inlines (docs/control-flow.md), compiled, planned and run on the host
// (with the model's inputs and outputs in the caller's memory and in the
// pools); expected values worked out by hand; kiln debug on the host and a
// board. Also what is refused: bad subgraph indices, a subgraph that calls
// itself, and the graph executor.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "control_flow_models.h"
#include "debug/debug_run.h"
#include "device/boards.h"
#include "driver/compile.h"
#include "driver/host_runner.h"
#include "frontend/tflite/tflite_importer.h"
#include "ir/op_table.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
namespace fb = kiln::tflite_fb;

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

/// Runs the model on the host (AoT executor) with `inputs`, once with its
/// inputs and outputs in the caller's memory and once in the pools; both
/// must agree. Returns every output's bytes.
std::vector<std::vector<uint8_t>> RunOnHost(const std::vector<uint8_t>& model, const std::vector<std::vector<uint8_t>>& inputs) {
  auto graph = tflite::ImportTflite(model);
  EXPECT_TRUE(graph.ok()) << graph.message();
  if (!graph.ok()) return {};
  graph->name = "control_flow";
  const fs::path dir = test::TempDir("control_flow");
  std::vector<fs::path> files;
  for (size_t k = 0; k < inputs.size(); ++k) {
    files.push_back(dir / ("in" + std::to_string(k) + ".bin"));
    test::WriteBytes(files.back(), inputs[k]);
  }
  std::vector<std::vector<uint8_t>> results[2];
  for (int in_pools = 0; in_pools < 2; ++in_pools) {
    CodegenOptions options;
    options.io_in_pools = in_pools == 1;
    auto library = CompileGraph(*graph, options, "control_flow.tflite");
    EXPECT_TRUE(library.ok()) << library.message();
    if (!library.ok()) return {};
    auto exe = HostExecutable::Build(*library);
    EXPECT_TRUE(exe.ok()) << exe.message();
    if (!exe.ok()) return {};
    const fs::path out_dir = dir / std::to_string(in_pools);
    const Status ran = exe->Run(files, out_dir);
    EXPECT_TRUE(ran.ok()) << ran.message();
    for (size_t k = 0; k < graph->outputs.size(); ++k)
      results[in_pools].push_back(test::ReadBytes(out_dir / ("output_" + std::to_string(k) + ".bin")));
  }
  EXPECT_EQ(results[0], results[1]) << "--io-in-pools changed the outputs";
  fs::remove_all(dir);
  return results[0];
}

TEST(ControlFlow, IfRunsTheBranchItsConditionPicks) {
  const auto model = test::IfAddElseMulModel();
  const auto x = Bytes<float>({3, -2}), y = Bytes<float>({5, 4});
  EXPECT_EQ(RunOnHost(model, {{1}, x, y}), std::vector<std::vector<uint8_t>>{Bytes<float>({8, 2})});
  EXPECT_EQ(RunOnHost(model, {{0}, x, y}), std::vector<std::vector<uint8_t>>{Bytes<float>({15, -8})});
}

TEST(ControlFlow, WhileLoopsUntilItsConditionFails) {
  const auto model = test::WhileSwapAndDoubleModel();
  const auto a = Bytes<float>({1, 2}), b = Bytes<float>({3, 4}), c = Bytes<float>({0.5f, -1});
  // From 0: three turns, so a and b end swapped and c is 8 times larger.
  EXPECT_EQ(RunOnHost(model, {Bytes<int32_t>({0}), a, b, c}),
            (std::vector<std::vector<uint8_t>>{Bytes<int32_t>({3}), b, a, Bytes<float>({4, -8})}));
  // From 2: one turn. From 7: none, the inputs come back.
  EXPECT_EQ(RunOnHost(model, {Bytes<int32_t>({2}), a, b, c}),
            (std::vector<std::vector<uint8_t>>{Bytes<int32_t>({3}), b, a, Bytes<float>({1, -2})}));
  EXPECT_EQ(RunOnHost(model, {Bytes<int32_t>({7}), a, b, c}),
            (std::vector<std::vector<uint8_t>>{Bytes<int32_t>({7}), a, b, c}));
}

TEST(ControlFlow, AnIfInsideAWhileBody) {
  // x = [1, -2]: doubled twice (i = 0, 1), then squared twice (i = 2, 3).
  EXPECT_EQ(RunOnHost(test::WhileOfIfModel(), {Bytes<int32_t>({0}), Bytes<float>({1, -2})}),
            (std::vector<std::vector<uint8_t>>{Bytes<int32_t>({4}), Bytes<float>({256, 4096})}));
}

TEST(ControlFlow, TheImporterFlattensTheSubgraphsBetweenMarkers) {
  auto graph = tflite::ImportTflite(test::WhileSwapAndDoubleModel());
  ASSERT_TRUE(graph.ok()) << graph.message();
  std::vector<std::string> listed;
  for (const Node& node : graph->nodes)
    listed.push_back(std::string(GetOpInfo(node.op).name) + (node.attrs.has("part") ? ":" + node.attrs.get_string("part") : ""));
  // The swapped results are copied out before the loop variables change.
  EXPECT_EQ(listed, (std::vector<std::string>{"WHILE:begin", "LESS", "WHILE:test", "ADD", "ADD", "RESHAPE",
                                              "RESHAPE", "WHILE:end"}));
  EXPECT_EQ(graph->nodes[1].subgraph, 1);
  EXPECT_EQ(graph->nodes[3].subgraph, 2);
}

TEST(ControlFlow, BadSubgraphsAreRefusedNamingTheOperator) {
  auto with_branches = [](int then_index, int else_index) {
    test::TfliteModelBuilder b;
    b.model = test::Unpack(test::IfAddElseMulModel());
    auto* options = b.model.subgraphs[0]->operators[0]->builtin_options.AsIfOptions();
    options->then_subgraph_index = then_index;
    options->else_subgraph_index = else_index;
    return tflite::ImportTflite(b.Finish()).message();
  };
  EXPECT_EQ(with_branches(1, 7),
            "operator #0 IF: else subgraph 7: out of range (the model has subgraphs 0 to 2, and 0 is the main one)");
  EXPECT_EQ(with_branches(0, 2),
            "operator #0 IF: then subgraph 0: out of range (the model has subgraphs 0 to 2, and 0 is the main one)");

  // A branch that is an IF of itself.
  test::TfliteModelBuilder b;
  b.model = test::Unpack(test::IfAddElseMulModel());
  b.UseSubgraph(1);
  const int cond = b.AddConstant<uint8_t>("again", fb::TensorType::BOOL, {1}, {1});
  const int out = b.AddTensor("again_out", fb::TensorType::FLOAT32, {2});
  b.AddOperator(118, {cond, 0, 1}, {out}, test::IfBranches(1, 2));
  EXPECT_EQ(tflite::ImportTflite(b.Finish()).message(),
            "subgraph 1 operator #1 IF: then subgraph 1: it calls itself, which a static plan cannot hold");
}

// kiln debug captures the operators outside IF and WHILE once per run: NEG
// before the IF and ABS after it, none of the branches' or the markers'.
TEST(ControlFlow, KilnDebugCapturesTheOperatorsOutside) {
  test::TfliteModelBuilder b;
  b.model = test::Unpack(test::IfAddElseMulModel());
  b.UseSubgraph(0);
  // x -> NEG -> the IF's x; the IF's output -> ABS -> the model's output.
  const int negated = b.AddTensor("negated", fb::TensorType::FLOAT32, {2});
  const int magnitude = b.AddTensor("magnitude", fb::TensorType::FLOAT32, {2});
  auto& ops = b.subgraph().operators;
  b.AddOperator(59, {1}, {negated});
  b.AddOperator(101, {3}, {magnitude});
  std::rotate(ops.begin(), ops.begin() + 1, ops.begin() + 2);  // NEG first, then IF, then ABS
  ops[1]->inputs[1] = negated;
  b.SetIo({0, 1, 2}, {magnitude});
  auto graph = tflite::ImportTflite(b.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  const fs::path dir = test::TempDir("control_flow_debug");
  const std::vector<fs::path> inputs = {dir / "cond", dir / "x", dir / "y"};
  test::WriteBytes(inputs[0], {1});
  test::WriteBytes(inputs[1], Bytes<float>({3, -2}));
  test::WriteBytes(inputs[2], Bytes<float>({5, 4}));
  auto board = FindBoard("qemu-cortex-m4");
  ASSERT_TRUE(board.ok()) << board.message();
  for (const Board* where : {static_cast<const Board*>(nullptr), &**board}) {
    DebugOptions options;
    options.board = where;
    auto report = DebugModel(*graph, "if.tflite", inputs, options);
    ASSERT_TRUE(report.ok()) << report.message();
    std::vector<std::string> captured;
    for (const CapturedOutput& o : report->outputs) captured.push_back(o.op_name);
    EXPECT_EQ(captured, (std::vector<std::string>{"NEG", "ABS"}));
    EXPECT_EQ(report->first_divergence, -1);
    ASSERT_EQ(report->outputs.size(), 2u);
    EXPECT_EQ(report->outputs[1].bytes, Bytes<float>({2, 6}));  // |-3 + 5|, |2 + 4|
  }
  fs::remove_all(dir);
}

TEST(ControlFlow, TheGraphExecutorRefusesIt) {
  auto graph = tflite::ImportTflite(test::IfAddElseMulModel());
  ASSERT_TRUE(graph.ok()) << graph.message();
  CodegenOptions options;
  options.executor = "graph";
  auto library = CompileGraph(*graph, options, "if.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("IF (operator #0): the graph executor runs a list of kernel calls and has no "
                                   "control flow; compile with --executor aot"),
            std::string::npos)
      << library.message();
}

}  // namespace
}  // namespace kiln
