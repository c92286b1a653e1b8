// The TFLite importer: what it reads from a model, and the exact error it
// gives for each kind of malformed model.
#include <map>

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "frontend/tflite/builtin_names.h"
#include "frontend/tflite/tflite_importer.h"
#include "ir/op_table.h"
#include "ir/print_graph.h"
#include "test_support.h"
#include "tflite_model_builder.h"

namespace kiln {
namespace {

using test::TfliteModelBuilder;
using testing::HasSubstr;
namespace fb = kiln::tflite_fb;

// A one-operator int8 FULLY_CONNECTED model: in[1,2] x w[3,2] + b[3] -> out[1,3].
TfliteModelBuilder FullyConnectedModel() {
  TfliteModelBuilder b;
  const int in = b.AddTensor("in", fb::TensorType::INT8, {1, 2}, {0.5f}, {-1});
  const int w = b.AddConstant<int8_t>("w", fb::TensorType::INT8, {3, 2}, {1, 2, 3, 4, 5, 6}, {0.25f}, {0});
  const int bias = b.AddConstant<int32_t>("b", fb::TensorType::INT32, {3}, {10, -20, 30}, {0.125f}, {0});
  const int out = b.AddTensor("out", fb::TensorType::INT8, {1, 3}, {1.0f}, {3});
  fb::BuiltinOptionsUnion options;
  auto fc = std::make_unique<fb::FullyConnectedOptionsT>();
  fc->fused_activation_function = fb::ActivationFunctionType::RELU;
  options.Set(std::move(*fc));
  b.AddOperator(9, {in, w, bias}, {out}, std::move(options));
  b.SetIo({in}, {out});
  return b;
}

TEST(TfliteImporter, ReadsTensorsOperatorsAndOptions) {
  auto graph = tflite::ImportTflite(FullyConnectedModel().Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_EQ(PrintGraph(*graph),
            "graph \"\" {\n"
            "  inputs(%0)\n"
            "  outputs(%3)\n"
            "  %0 = int8[1,2] q(scale=0.5, zp=-1) \"in\"\n"
            "  %1 = const int8[3,2] q(scale=0.25, zp=0) \"w\"\n"
            "  %2 = const int32[3] q(scale=0.125, zp=0) \"b\"\n"
            "  %3 = int8[1,3] q(scale=1, zp=3) \"out\"\n"
            "  #0 FULLY_CONNECTED(%0, %1, %2) -> (%3) {activation=\"RELU\", keep_num_dims=0}\n"
            "}\n");
  EXPECT_EQ(graph->tensor(1).int_at(5), 6);
  EXPECT_EQ(graph->tensor(2).int_at(1), -20);
}

TEST(TfliteImporter, ReadsPerChannelQuantization) {
  TfliteModelBuilder b;
  const int in = b.AddTensor("in", fb::TensorType::FLOAT32, {2, 3});
  const int w = b.AddConstant<int8_t>("w", fb::TensorType::INT8, {2, 3}, {1, 2, 3, 4, 5, 6}, {0.5f, 0.25f}, {0, 0}, 0);
  b.SetIo({in}, {in});
  auto graph = tflite::ImportTflite(b.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_EQ(PrintTensorType(graph->tensor(w)), "int8[2,3] q(axis=0, scale=[0.5, 0.25], zp=[0, 0])");
}

TEST(TfliteImporter, PrefersTheLargerOfBuiltinAndDeprecatedCode) {
  TfliteModelBuilder b = FullyConnectedModel();
  b.model.operator_codes[0]->builtin_code = 0;  // old converters leave it unset
  auto graph = tflite::ImportTflite(b.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_EQ(graph->nodes[0].op, OpKind::kFullyConnected);
}

// `kiln ops` lists the builtins imported as other operators: each imports
// as the operator the list names, and the list has every one tested here.
TEST(TfliteImporter, AliasesImportAsTheOperatorKilnOpsNames) {
  std::map<std::string, std::string> imported;
  {
    TfliteModelBuilder b;  // EXPAND_DIMS [2] at axis 0
    const int x = b.AddTensor("x", fb::TensorType::FLOAT32, {2});
    const int axis = b.AddConstant<int32_t>("axis", fb::TensorType::INT32, {}, {0});
    const int y = b.AddTensor("y", fb::TensorType::FLOAT32, {1, 2});
    b.AddOperator(70, {x, axis}, {y});
    b.SetIo({x}, {y});
    auto graph = tflite::ImportTflite(b.Finish());
    ASSERT_TRUE(graph.ok()) << graph.message();
    imported["EXPAND_DIMS"] = std::string(GetOpInfo(graph->nodes[0].op).name);
  }
  {
    TfliteModelBuilder b;  // PADV2 of [2] by one each side with 0.5
    const int x = b.AddTensor("x", fb::TensorType::FLOAT32, {2});
    const int pads = b.AddConstant<int32_t>("pads", fb::TensorType::INT32, {1, 2}, {1, 1});
    const int value = b.AddConstant<float>("value", fb::TensorType::FLOAT32, {}, {0.5f});
    const int y = b.AddTensor("y", fb::TensorType::FLOAT32, {4});
    b.AddOperator(60, {x, pads, value}, {y});
    b.SetIo({x}, {y});
    auto graph = tflite::ImportTflite(b.Finish());
    ASSERT_TRUE(graph.ok()) << graph.message();
    imported["PADV2"] = std::string(GetOpInfo(graph->nodes[0].op).name);
  }
  {
    // VAR_HANDLE and CALL_ONCE: the handle becomes the state tensor that
    // READ_VARIABLE takes, the init subgraph's ASSIGN_VARIABLE its initial value.
    TfliteModelBuilder b;
    fb::VarHandleOptionsT handle;
    handle.shared_name = "v";
    fb::CallOnceOptionsT call_once;
    call_once.init_subgraph_index = 1;
    const int h = b.AddTensor("h", fb::TensorType::RESOURCE, {});
    const int y = b.AddTensor("y", fb::TensorType::FLOAT32, {2});
    b.AddOperator(129, {}, {}, fb::BuiltinOptionsUnion{});
    b.subgraph().operators.back()->builtin_options.Set(call_once);
    b.AddOperator(142, {}, {h});
    b.subgraph().operators.back()->builtin_options.Set(handle);
    b.AddOperator(143, {h}, {y});
    b.SetIo({}, {y});
    b.AddSubgraph();
    const int init_h = b.AddTensor("h", fb::TensorType::RESOURCE, {});
    const int value = b.AddConstant<float>("value", fb::TensorType::FLOAT32, {2}, {1, 2});
    b.AddOperator(142, {}, {init_h});
    b.subgraph().operators.back()->builtin_options.Set(handle);
    b.AddOperator(144, {init_h, value}, {});
    auto graph = tflite::ImportTflite(b.Finish());
    ASSERT_TRUE(graph.ok()) << graph.message();
    ASSERT_EQ(graph->nodes.size(), 1u);
    const Tensor& state = graph->tensor(graph->nodes[0].inputs[0]);
    if (state.is_variable) imported["VAR_HANDLE"] = std::string(GetOpInfo(graph->nodes[0].op).name);
    if (!state.initial_value.empty()) imported["CALL_ONCE"] = "ASSIGN_VARIABLE";
  }
  {
    TfliteModelBuilder b;  // SHAPE of [2, 5], int64
    const int x = b.AddTensor("x", fb::TensorType::FLOAT32, {2, 5});
    const int y = b.AddTensor("y", fb::TensorType::INT64, {2});
    b.AddOperator(77, {x}, {y});
    b.SetIo({x}, {y});
    auto graph = tflite::ImportTflite(b.Finish());
    ASSERT_TRUE(graph.ok()) << graph.message();
    // The constant, copied into the caller's output by the one node.
    ASSERT_EQ(graph->nodes.size(), 1u);
    EXPECT_EQ(graph->nodes[0].source_op, "(output copy)");
    const Tensor& shape = graph->tensor(graph->nodes[0].inputs[0]);
    if (shape.is_constant && shape.int_at(0) == 2 && shape.int_at(1) == 5) imported["SHAPE"] = "constant";
  }
  std::map<std::string, std::string> listed;
  for (const tflite::TfliteAlias& alias : tflite::TfliteAliases())
    listed[std::string(alias.builtin)] = std::string(alias.imported_as);
  EXPECT_EQ(listed, imported);
}

// BROADCAST_ARGS folds when both shapes are constants; shapes that cannot
// broadcast, or a folded output declared with the wrong shape, are refused
// naming the operator.
TEST(TfliteImporter, BroadcastArgsOfConstantShapesFolds) {
  auto import = [](const std::vector<int32_t>& a, const std::vector<int32_t>& b, int32_t out_length) {
    TfliteModelBuilder m;
    const int ta = m.AddConstant<int32_t>("a", fb::TensorType::INT32, {static_cast<int32_t>(a.size())}, a);
    const int tb = m.AddConstant<int32_t>("b", fb::TensorType::INT32, {static_cast<int32_t>(b.size())}, b);
    const int out = m.AddTensor("out", fb::TensorType::INT32, {out_length});
    m.AddOperator(145, {ta, tb}, {out});
    m.SetIo({}, {out});
    return tflite::ImportTflite(m.Finish());
  };
  auto folded = import({3, 1}, {2, 1, 4}, 3);
  ASSERT_TRUE(folded.ok()) << folded.message();
  ASSERT_EQ(folded->nodes.size(), 1u);  // the output's copy of the constant
  EXPECT_EQ(folded->nodes[0].source_op, "(output copy)");
  const Tensor& out = folded->tensor(folded->nodes[0].inputs[0]);
  ASSERT_TRUE(out.is_constant);
  EXPECT_EQ((std::vector<int64_t>{out.int_at(0), out.int_at(1), out.int_at(2)}), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(import({3, 2}, {4, 2}, 2).message(),
            "operator #0 BROADCAST_ARGS: shapes [3,2] ('a') and [4,2] ('b') do not broadcast");
  EXPECT_EQ(import({3}, {-1}, 1).message(), "operator #0 BROADCAST_ARGS: shape 'b' holds dimension -1");
  EXPECT_EQ(import({3, 1}, {2, 1, 4}, 2).message(),
            "operator #0 BROADCAST_ARGS: output 'out' is int32 of shape [2], expected int32 or int64 of shape [3]");
}

TEST(TfliteImporter, UnknownOperatorsAreImportedByName) {
  TfliteModelBuilder b = FullyConnectedModel();
  b.model.operator_codes[0]->builtin_code = 52;  // BIDIRECTIONAL_SEQUENCE_LSTM
  b.model.operator_codes[0]->deprecated_builtin_code = 52;
  auto graph = tflite::ImportTflite(b.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_EQ(graph->nodes[0].op, OpKind::kUnsupported);
  EXPECT_EQ(graph->nodes[0].source_op, "BIDIRECTIONAL_SEQUENCE_LSTM");
}

struct BadModelCase {
  const char* name;
  void (*mutate)(fb::ModelT&);
  const char* expected_error;
};

const BadModelCase kBadModels[] = {
    {"input_index_out_of_range", [](fb::ModelT& m) { m.subgraphs[0]->operators[0]->inputs[1] = 99; },
     "operator #0 FULLY_CONNECTED: input 1 refers to tensor 99, but the subgraph has 4 tensors"},
    {"output_index_negative", [](fb::ModelT& m) { m.subgraphs[0]->operators[0]->outputs[0] = -1; },
     "operator #0 FULLY_CONNECTED: output 0 refers to tensor -1, but the subgraph has 4 tensors"},
    {"graph_input_out_of_range", [](fb::ModelT& m) { m.subgraphs[0]->inputs[0] = 7; },
     "subgraph input 0 refers to tensor 7, but the model has 4 tensors"},
    {"buffer_too_small", [](fb::ModelT& m) { m.buffers[1]->data.resize(5); },
     "tensor 1 'w': buffer 1 holds 5 bytes but shape [3,2] of int8 needs 6"},
    {"buffer_index_out_of_range", [](fb::ModelT& m) { m.subgraphs[0]->tensors[1]->buffer = 42; },
     "tensor 1 'w': buffer index 42 is out of range (the model has 3 buffers)"},
    {"opcode_index_out_of_range", [](fb::ModelT& m) { m.subgraphs[0]->operators[0]->opcode_index = 5; },
     "operator #0: opcode_index 5 is out of range (the model has 1 operator codes)"},
    {"unsupported_dtype", [](fb::ModelT& m) { m.subgraphs[0]->tensors[0]->type = fb::TensorType::COMPLEX64; },
     "tensor 0 'in': dtype COMPLEX64 is not supported"},
    {"negative_dimension", [](fb::ModelT& m) { m.subgraphs[0]->tensors[3]->shape[1] = -1; },
     "tensor 3 'out': dimension -1 is dynamic or negative; Kiln needs static shapes"},
    {"scale_zero_point_mismatch", [](fb::ModelT& m) { m.subgraphs[0]->tensors[0]->quantization->zero_point = {1, 2}; },
     "tensor 0 'in': 1 quantization scales but 2 zero points"},
    {"per_channel_count_mismatch",
     [](fb::ModelT& m) {
       m.subgraphs[0]->tensors[1]->quantization->scale = {0.1f, 0.2f};
       m.subgraphs[0]->tensors[1]->quantization->zero_point = {0, 0};
     },
     "tensor 1 'w': 2 per-channel scales but dimension 0 has size 3"},
    {"no_subgraphs", [](fb::ModelT& m) { m.subgraphs.clear(); }, "the model has no subgraphs"},
    {"reads_unwritten_tensor", [](fb::ModelT& m) { m.subgraphs[0]->inputs.clear(); },
     "operator #0 FULLY_CONNECTED: input 0 reads tensor 0 'in' before any operator writes it"},
};

void PrintTo(const BadModelCase& c, std::ostream* os) { *os << c.name; }

class BadModelTest : public testing::TestWithParam<BadModelCase> {};

TEST_P(BadModelTest, GivesTheExactError) {
  fb::ModelT model = test::Unpack(FullyConnectedModel().Finish());
  GetParam().mutate(model);
  auto graph = tflite::ImportTflite(test::Pack(model));
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), GetParam().expected_error);
}

INSTANTIATE_TEST_SUITE_P(Importer, BadModelTest, testing::ValuesIn(kBadModels),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TfliteImporter, RefusesFilesThatAreNotTflite) {
  std::vector<uint8_t> text(100, 'x');
  EXPECT_EQ(tflite::ImportTflite(text).message(), "not a TFLite model: the flatbuffer file identifier is not 'TFL3'");
  EXPECT_EQ(tflite::ImportTflite(std::vector<uint8_t>{1, 2, 3}).message(),
            "file is too small to be a TFLite model (3 bytes)");
  auto bytes = FullyConnectedModel().Finish();
  bytes.resize(bytes.size() / 2);
  EXPECT_EQ(tflite::ImportTflite(bytes).message(),
            "the TFLite flatbuffer failed verification (truncated or corrupt file)");
}

}  // namespace
}  // namespace kiln
