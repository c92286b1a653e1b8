// TFLite resource variables end to end: a model that keeps a running sum in
// a variable (CALL_ONCE's init subgraph gives it its first value,
// READ_VARIABLE and ASSIGN_VARIABLE use it) is imported, compiled and run
// several times in one process by a C harness, which also calls reset().
// Expected values follow from the operators' definitions: each run outputs
// the previous sum plus its input. Also the importer's errors on models it
// cannot resolve.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "driver/compile.h"
#include "frontend/tflite/builtin_names.h"
#include "frontend/tflite/tflite_importer.h"
#include "test_support.h"
#include "tflite_model_builder.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
namespace fb = kiln::tflite_fb;
namespace builtin = kiln::tflite::builtin;
using test::TfliteModelBuilder;
using testing::HasSubstr;

fb::BuiltinOptionsUnion Handle(const std::string& shared_name) {
  fb::VarHandleOptionsT o;
  o.shared_name = shared_name;
  fb::BuiltinOptionsUnion u;
  u.Set(o);
  return u;
}

fb::BuiltinOptionsUnion CallOnce(int subgraph) {
  fb::CallOnceOptionsT o;
  o.init_subgraph_index = subgraph;
  fb::BuiltinOptionsUnion u;
  u.Set(o);
  return u;
}

/// sum = READ(acc) + x; ASSIGN(acc, sum); output sum. float32[2]; `acc`
/// starts at `initial` (from an init subgraph) or, when empty, unassigned.
TfliteModelBuilder RunningSum(const std::vector<float>& initial) {
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", fb::TensorType::FLOAT32, {2});
  const int handle = b.AddTensor("acc_handle", fb::TensorType::RESOURCE, {});
  const int previous = b.AddTensor("previous", fb::TensorType::FLOAT32, {2});
  const int sum = b.AddTensor("sum", fb::TensorType::FLOAT32, {2});
  if (!initial.empty()) b.AddOperator(builtin::kCallOnce, {}, {}, CallOnce(1));
  b.AddOperator(builtin::kVarHandle, {}, {handle}, Handle("acc"));
  b.AddOperator(builtin::kReadVariable, {handle}, {previous});
  b.AddOperator(0 /* ADD */, {previous, x}, {sum});
  b.AddOperator(builtin::kAssignVariable, {handle, sum}, {});
  b.SetIo({x}, {sum});
  if (!initial.empty()) {
    b.AddSubgraph();
    const int init_handle = b.AddTensor("acc_handle", fb::TensorType::RESOURCE, {});
    const int value = b.AddConstant<float>("acc_initial", fb::TensorType::FLOAT32, {2}, initial);
    b.AddOperator(builtin::kVarHandle, {}, {init_handle}, Handle("acc"));
    b.AddOperator(builtin::kAssignVariable, {init_handle, value}, {});
    b.UseSubgraph(0);
  }
  return b;
}

// Runs the module three times on x = (1, 1), (2, 0.5), (-1, 3), resets it,
// and runs it on (1, 1) again; prints each output.
constexpr const char* kHarness = R"(#include <stdio.h>
#include "kiln_default.h"

int main(void) {
  static const float xs[4][2] = {{1.0f, 1.0f}, {2.0f, 0.5f}, {-1.0f, 3.0f}, {1.0f, 1.0f}};
  float y[2];
  struct kiln_default_inputs in;
  struct kiln_default_outputs out;
  int k;
  out.sum = y;
  for (k = 0; k < 4; ++k) {
    if (k == 3) kiln_default_reset();
    in.x = xs[k];
    if (kiln_default_run(&in, &out) != 0) return 1;
    printf("%g %g\n", y[0], y[1]);
  }
  return 0;
}
)";

/// Compiles `model` and runs the harness; returns what it printed.
std::string RunHarness(const TfliteModelBuilder& model, const CodegenOptions& options = {}) {
  const fs::path dir = test::TempDir("resource_variables");
  auto graph = tflite::ImportTflite(model.Finish());
  EXPECT_TRUE(graph.ok()) << graph.message();
  if (!graph.ok()) return "";
  graph->name = "running_sum";
  auto library = CompileGraph(*graph, options, "running_sum.tflite");
  EXPECT_TRUE(library.ok()) << library.message();
  if (!library.ok()) return "";
  for (const auto& [path, contents] : library->files) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream(dir / path, std::ios::binary) << contents;
  }
  std::ofstream(dir / "harness.c") << kHarness;
  std::string log;
  const int code = test::RunCommand("cd " + dir.string() +
                                        " && cc -std=c99 -O2 -Wall -Wextra -Werror -Icodegen/host/include "
                                        "-Iruntime/include codegen/host/src/*.c runtime/src/kernels/*.c harness.c "
                                        "-lm -o harness && ./harness",
                                    &log);
  EXPECT_EQ(code, 0) << log;
  fs::remove_all(dir);
  return log;
}

// Both executors: the graph executor's reset copies the initial value from
// the blob's data.
TEST(ResourceVariables, TheInitSubgraphsValueIsTheFirstStateAndResetRestoresIt) {
  const std::string expected = "2.5 -1\n4.5 -0.5\n3.5 2.5\n2.5 -1\n";
  EXPECT_EQ(RunHarness(RunningSum({1.5f, -2.0f})), expected);
  CodegenOptions graph_executor;
  graph_executor.executor = "graph";
  EXPECT_EQ(RunHarness(RunningSum({1.5f, -2.0f}), graph_executor), expected);
}

// Without CALL_ONCE the variable starts as TFLite Micro fills it: zeros.
// The graph executor's reset is a fill there.
TEST(ResourceVariables, AnUnassignedVariableStartsAtZeroOnBothExecutors) {
  const std::string expected = "1 1\n3 1.5\n2 4.5\n1 1\n";
  EXPECT_EQ(RunHarness(RunningSum({})), expected);
  CodegenOptions graph_executor;
  graph_executor.executor = "graph";
  EXPECT_EQ(RunHarness(RunningSum({}), graph_executor), expected);
  // A uniform initial value is a fill as well.
  EXPECT_EQ(RunHarness(RunningSum({0.0f, 0.0f}), graph_executor), expected);
}

TEST(ResourceVariables, TheImporterResolvesHandlesToOneStateTensor) {
  auto graph = tflite::ImportTflite(RunningSum({1.5f, -2.0f}).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  ASSERT_EQ(graph->nodes.size(), 3u);  // READ_VARIABLE, ADD, ASSIGN_VARIABLE
  EXPECT_EQ(graph->nodes[0].op, OpKind::kReadVariable);
  EXPECT_EQ(graph->nodes[2].op, OpKind::kAssignVariable);
  const Tensor& state = graph->tensor(graph->nodes[0].inputs[0]);
  EXPECT_EQ(graph->nodes[2].inputs[0], graph->nodes[0].inputs[0]);
  EXPECT_EQ(state.name, "acc");
  EXPECT_TRUE(state.is_variable);
  EXPECT_FALSE(state.is_constant);
  std::vector<float> initial(2);
  ASSERT_EQ(state.initial_value.size(), sizeof(float) * 2);
  std::memcpy(initial.data(), state.initial_value.data(), state.initial_value.size());
  EXPECT_EQ(initial, (std::vector<float>{1.5f, -2.0f}));
  for (const Tensor& t : graph->tensors) EXPECT_NE(t.name, "acc_handle") << "the resource handle is left";
}

struct BadVariableModel {
  const char* name;
  void (*mutate)(fb::ModelT&);
  const char* expected_error;
};

const BadVariableModel kBadVariableModels[] = {
    {"init_subgraph_out_of_range",
     [](fb::ModelT& m) { m.subgraphs[0]->operators[0]->builtin_options.AsCallOnceOptions()->init_subgraph_index = 5; },
     "operator #0 CALL_ONCE: init_subgraph_index 5 is not a subgraph other than the main one (the model has 2)"},
    {"init_subgraph_is_main",
     [](fb::ModelT& m) { m.subgraphs[0]->operators[0]->builtin_options.AsCallOnceOptions()->init_subgraph_index = 0; },
     "operator #0 CALL_ONCE: init_subgraph_index 0 is not a subgraph other than the main one"},
    {"init_assigns_a_computed_value",
     [](fb::ModelT& m) { m.buffers[m.subgraphs[1]->tensors[1]->buffer]->data.clear(); },
     "init subgraph 1 operator #1 ASSIGN_VARIABLE: value 'acc_initial' is not a constant"},
    {"init_runs_another_operator",
     [](fb::ModelT& m) { m.subgraphs[1]->operators[1]->opcode_index = m.subgraphs[0]->operators[3]->opcode_index; },
     "init subgraph 1 operator #1 ADD: Kiln runs CALL_ONCE's init subgraph at compile time"},
    {"init_value_of_another_type",
     [](fb::ModelT& m) {
       m.subgraphs[1]->tensors[1]->shape = {1};
       m.buffers[m.subgraphs[1]->tensors[1]->buffer]->data.resize(4);
     },
     "tensor 'previous' is float32 [2] but variable 'acc' is float32 [1]"},
    {"read_before_call_once",
     [](fb::ModelT& m) {
       auto& ops = m.subgraphs[0]->operators;  // VAR_HANDLE, READ_VARIABLE, CALL_ONCE, ...
       std::rotate(ops.begin(), ops.begin() + 1, ops.begin() + 3);
     },
     "operator #2 CALL_ONCE: a variable is read or assigned before it"},
    {"read_of_a_tensor_that_is_no_handle",
     [](fb::ModelT& m) { m.subgraphs[0]->operators[2]->inputs[0] = 0; },
     "operator #2 READ_VARIABLE: input 0 is not the resource of an earlier VAR_HANDLE"},
    {"handle_into_another_operator",
     [](fb::ModelT& m) { m.subgraphs[0]->operators[3]->inputs[1] = 1; },
     "operator #3 ADD: input 1 'acc_handle' is a resource handle"},
    {"handle_as_model_output", [](fb::ModelT& m) { m.subgraphs[0]->outputs[0] = 1; },
     "model output 'acc_handle' is a resource handle"},
    {"handle_written_by_another_operator", [](fb::ModelT& m) { m.subgraphs[0]->operators[3]->outputs[0] = 1; },
     "operator #3 ADD: output 0 'acc_handle' is a resource handle, which only VAR_HANDLE writes"},
    {"handle_written_twice",
     [](fb::ModelT& m) {
       auto& assign = *m.subgraphs[0]->operators[4];  // becomes a second VAR_HANDLE of the same tensor
       assign.opcode_index = m.subgraphs[0]->operators[1]->opcode_index;
       assign.inputs.clear();
       assign.outputs = {1};
     },
     "operator #4 VAR_HANDLE: its output 'acc_handle' is written twice"},
};

class BadVariableModelTest : public testing::TestWithParam<BadVariableModel> {};

TEST_P(BadVariableModelTest, IsRefusedNamingWhatIsWrong) {
  fb::ModelT model = test::Unpack(RunningSum({1.5f, -2.0f}).Finish());
  GetParam().mutate(model);
  auto graph = tflite::ImportTflite(test::Pack(model));
  ASSERT_FALSE(graph.ok());
  EXPECT_THAT(graph.message(), HasSubstr(GetParam().expected_error));
}

INSTANTIATE_TEST_SUITE_P(Models, BadVariableModelTest, testing::ValuesIn(kBadVariableModels),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace kiln
