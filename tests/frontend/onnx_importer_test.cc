// The ONNX importer: shapes it infers, how it maps operators, the passes
// that follow (checked on the resulting IR), and the exact error for each
// kind of bad model.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "frontend/onnx/onnx_importer.h"
#include "ir/op_table.h"
#include "kernels/select_kernels.h"
#include "onnx_model_builder.h"
#include "test_support.h"

namespace kiln {
namespace {

using onnx_import::ImportOnnx;
using onnx_import::OnnxImportOptions;
using test::OnnxModelBuilder;
using testing::ElementsAre;
using testing::HasSubstr;

using test::Ops;

Expected<Graph> Import(const OnnxModelBuilder& b, OnnxImportOptions options = {}) {
  return ImportOnnx(b.Bytes(), options);
}

// x[1,2,4,4] -> Conv(3x3, 2->3, pads 1) -> BatchNormalization -> Relu -> y
OnnxModelBuilder ConvBnRelu() {
  OnnxModelBuilder b;
  b.Input("x", {1, 2, 4, 4});
  std::vector<float> w(3 * 2 * 3 * 3);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i) * 0.01f;
  b.Initializer("w", {3, 2, 3, 3}, w);
  b.Initializer("b", {3}, {0.5f, -0.5f, 1.0f});
  b.Initializer("scale", {3}, {2.0f, 1.0f, 0.5f});
  b.Initializer("shift", {3}, {0.0f, 1.0f, -1.0f});
  b.Initializer("mean", {3}, {0.0f, 0.5f, 1.0f});
  b.Initializer("var", {3}, {1.0f, 4.0f, 0.25f});
  auto* conv = b.Node("Conv", {"x", "w", "b"}, {"c"});
  OnnxModelBuilder::Ints(conv, "pads", {1, 1, 1, 1});
  auto* bn = b.Node("BatchNormalization", {"c", "scale", "shift", "mean", "var"}, {"n"});
  OnnxModelBuilder::Float(bn, "epsilon", 0.0f);
  b.Node("Relu", {"n"}, {"y"});
  b.Output("y", {1, 3, 4, 4});
  return b;
}

TEST(OnnxImporter, ConvBatchNormReluBecomesOneNhwcConvBetweenTransposes) {
  auto graph = Import(ConvBnRelu());
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_THAT(Ops(*graph), ElementsAre("TRANSPOSE", "CONV_2D", "RELU", "TRANSPOSE"));
  const Node& conv = graph->nodes[1];
  EXPECT_EQ(conv.attrs.get_string("padding"), "SAME");
  EXPECT_FALSE(conv.attrs.has("layout"));
  // The model's interface stays NCHW.
  EXPECT_EQ(graph->tensor(graph->inputs[0]).shape, (Shape{1, 2, 4, 4}));
  EXPECT_EQ(graph->tensor(graph->outputs[0]).shape, (Shape{1, 3, 4, 4}));
  // Filter OIHW -> OHWI, scaled by scale / sqrt(var): channel 1 by 1/2.
  const Tensor& filter = graph->tensor(conv.inputs[1]);
  EXPECT_EQ(filter.shape, (Shape{3, 3, 3, 2}));
  // OHWI [1][0][1][1] is OIHW [1][1][0][1] = index 18 + 9 + 1 = 28 -> 0.28 / 2.
  EXPECT_FLOAT_EQ(filter.float_at(1 * 18 + 0 * 6 + 1 * 2 + 1), 0.14f);
  // bias: (b - mean) * s + shift = (-0.5 - 0.5) / 2 + 1 = 0.5 for channel 1.
  const Tensor& bias = graph->tensor(conv.inputs[2]);
  EXPECT_FLOAT_EQ(bias.float_at(0), 1.0f);
  EXPECT_FLOAT_EQ(bias.float_at(1), 0.5f);
  EXPECT_FLOAT_EQ(bias.float_at(2), -1.0f);
  EXPECT_TRUE(SelectKernels(*graph).ok());
}

TEST(OnnxImporter, TransposesBetweenConvolutionsCancel) {
  OnnxModelBuilder b;
  b.Input("x", {1, 1, 5, 5});
  b.Initializer("w1", {2, 1, 1, 1}, {1.0f, 2.0f});
  b.Initializer("w2", {1, 2, 1, 1}, {1.0f, 1.0f});
  b.Node("Conv", {"x", "w1"}, {"a"});
  b.Node("Relu", {"a"}, {"r"});
  b.Node("Conv", {"r", "w2"}, {"y"});
  b.Output("y", {1, 1, 5, 5});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_THAT(Ops(*graph), ElementsAre("TRANSPOSE", "CONV_2D", "RELU", "CONV_2D", "TRANSPOSE"));
}

TEST(OnnxImporter, AsymmetricPadsBecomeAnExplicitPad) {
  OnnxModelBuilder b;
  b.Input("x", {1, 1, 4, 4});
  b.Initializer("w", {1, 1, 2, 2}, {1, 1, 1, 1});
  auto* conv = b.Node("Conv", {"x", "w"}, {"y"});
  OnnxModelBuilder::Ints(conv, "pads", {1, 0, 0, 1});
  b.Output("y", {1, 1, 4, 4});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_THAT(Ops(*graph), ElementsAre("PAD", "TRANSPOSE", "CONV_2D", "TRANSPOSE"));
  EXPECT_EQ(graph->nodes[2].attrs.get_string("padding"), "VALID");
}

TEST(OnnxImporter, DepthwiseConvolutionFromGroups) {
  OnnxModelBuilder b;
  b.Input("x", {1, 2, 3, 3});
  b.Initializer("w", {4, 1, 1, 1}, {1, 2, 3, 4});
  auto* conv = b.Node("Conv", {"x", "w"}, {"y"});
  OnnxModelBuilder::Int(conv, "group", 2);
  b.Output("y", {1, 4, 3, 3});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_THAT(Ops(*graph), ElementsAre("TRANSPOSE", "DEPTHWISE_CONV_2D", "TRANSPOSE"));
  EXPECT_EQ(graph->tensor(graph->nodes[1].inputs[1]).shape, (Shape{1, 1, 1, 4}));
  EXPECT_TRUE(SelectKernels(*graph).ok());
}

TEST(OnnxImporter, FoldsShapeArithmeticIntoReshape) {
  // Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): a flatten as exporters write it.
  OnnxModelBuilder b;
  b.Input("x", {2, 3, 4});
  b.Int64Initializer("zero", {0});
  b.Int64Initializer("minus_one", {-1});
  b.Node("Shape", {"x"}, {"s"});
  auto* gather = b.Node("Gather", {"s", "zero"}, {"n"});
  OnnxModelBuilder::Int(gather, "axis", 0);
  b.Node("Concat", {"n", "minus_one"}, {"target"});
  OnnxModelBuilder::Int(b.graph().mutable_node(2), "axis", 0);
  b.Node("Reshape", {"x", "target"}, {"y"});
  b.Output("y", {2, 12});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_THAT(Ops(*graph), ElementsAre("RESHAPE"));
  EXPECT_EQ(graph->tensor(graph->outputs[0]).shape, (Shape{2, 12}));
}

// An empty slice of a constant (shape arithmetic: the prefix of a shape
// before axis 0) folds to an empty constant, which a Concat of the shape
// then absorbs; an empty tensor reaching a kernel is refused at compile
// time, naming it, where Kiln has no empty tensor.
TEST(OnnxImporter, EmptySliceOfAConstantFoldsAndAnEmptyOperandIsRefused) {
  auto model = [](bool reach_kernel) {
    OnnxModelBuilder b;
    b.Input("x", {1});
    b.Initializer("c", {3}, {1, 2, 3});
    b.Int64Initializer("start", {2});
    b.Int64Initializer("end", {2});
    b.Node("Slice", {"c", "start", "end"}, {"empty"});
    if (reach_kernel) {
      b.Node("Add", {"x", "empty"}, {"y"});
      b.Output("y", {0});
    } else {
      auto* concat = b.Node("Concat", {"empty", "c"}, {"whole"});
      OnnxModelBuilder::Int(concat, "axis", 0);
      b.Node("Mul", {"x", "whole"}, {"y"});
      b.Output("y", {3});
    }
    return b;
  };
  auto folded = Import(model(false));
  ASSERT_TRUE(folded.ok()) << folded.message();
  EXPECT_THAT(Ops(*folded), ElementsAre("MUL"));
  auto graph = Import(model(true));
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto kernels = SelectKernels(*graph);
  ASSERT_FALSE(kernels.ok());
  EXPECT_THAT(kernels.message(), HasSubstr("input b 'empty' has shape [0]; every dimension must be at least 1"));
}

TEST(OnnxImporter, GemmWithTransposedConstantWeightsIsOneFullyConnected) {
  OnnxModelBuilder b;
  b.Input("a", {1, 3});
  b.Initializer("w", {2, 3}, {1, 2, 3, 4, 5, 6});
  b.Initializer("c", {2}, {1, 2});
  auto* gemm = b.Node("Gemm", {"a", "w", "c"}, {"y"});
  OnnxModelBuilder::Int(gemm, "transB", 1);
  OnnxModelBuilder::Float(gemm, "alpha", 2.0f);
  b.Output("y", {1, 2});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_THAT(Ops(*graph), ElementsAre("FULLY_CONNECTED"));
  EXPECT_FLOAT_EQ(graph->tensor(graph->nodes[0].inputs[1]).float_at(5), 12.0f);  // alpha folded
}

TEST(OnnxImporter, GraphInputWithInitializerIsAConstant) {
  OnnxModelBuilder b;
  b.Input("x", {2});
  b.Input("k", {2});
  b.Initializer("k", {2}, {1, 2});
  b.Node("Add", {"x", "k"}, {"y"});
  b.Output("y", {2});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  ASSERT_EQ(graph->inputs.size(), 1u);
  EXPECT_TRUE(graph->tensor(graph->nodes[0].inputs[1]).is_constant);
}

TEST(OnnxImporter, UnsupportedOperatorsAreNodesNamingTheReason) {
  OnnxModelBuilder b;
  b.Input("x", {1, 2, 3});
  b.Int64Initializer("pads", {0, 0, 1, 0, 0, 1});
  auto* pad = b.Node("Pad", {"x", "pads"}, {"p"});
  OnnxModelBuilder::String(pad, "mode", "symmetric");  // not an ONNX mode
  b.Node("Erf", {"p"}, {"e"});
  b.Node("Relu", {"e"}, {"y"});
  b.Output("y", {1, 2, 5});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  const std::vector<UnsupportedNode> u = FindUnsupported(*graph);
  ASSERT_EQ(u.size(), 3u);
  EXPECT_EQ(u[0].op, "Pad");
  EXPECT_EQ(u[0].reason, "attribute mode=symmetric");
  EXPECT_EQ(u[1].op, "Erf");
  EXPECT_EQ(u[1].reason, "input 'p' is not available (produced by unsupported node #0 Pad)");
  EXPECT_EQ(u[2].op, "Relu");
}

TEST(OnnxImporter, DynamicInputNeedsAShape) {
  OnnxModelBuilder b;
  b.Input("x", {-1, 4});
  b.Node("Relu", {"x"}, {"y"});
  b.Output("y", {-1, 4});
  auto graph = Import(b);
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(),
            "input 'x' has a dynamic dimension 'N' (axis 0); fix it with --input-shape x:D0,D1,...");
  OnnxImportOptions options;
  options.input_shapes["x"] = {3, 4};
  auto fixed = Import(b, options);
  ASSERT_TRUE(fixed.ok()) << fixed.message();
  EXPECT_EQ(fixed->tensor(fixed->outputs[0]).shape, (Shape{3, 4}));
  options.input_shapes["x"] = {3, 5};
  EXPECT_EQ(Import(b, options).message(),
            "--input-shape x: dimension 1 is 5, but the model fixes it to 4");
}

TEST(OnnxImporter, MalformedProtobuf) {
  const std::vector<uint8_t> junk = {0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01};
  auto graph = ImportOnnx(junk, {});
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.message(), "not an ONNX model: the protobuf is malformed or truncated");
}

TEST(OnnxImporter, MissingInitializer) {
  OnnxModelBuilder b;
  b.Input("x", {1, 1, 3, 3});
  b.Node("Conv", {"x", "weights"}, {"y"});
  b.Output("y", {1, 1, 3, 3});
  EXPECT_EQ(Import(b).message(),
            "node #0 Conv 'y': input 'weights' is not a graph input, an initializer, or an earlier node's output");
}

TEST(OnnxImporter, UnknownOpset) {
  OnnxModelBuilder b(/*opset=*/99);
  b.Input("x", {1});
  b.Node("Relu", {"x"}, {"y"});
  b.Output("y", {1});
  EXPECT_EQ(Import(b).message(), "opset 99 is not supported (Kiln imports ai.onnx opsets 1 to 17)");
}

// Below opset 6, an operator is read as at opset 6 only where ONNX's schema
// registry says its definition did not change in between: Softsign has not
// changed since opset 1; Relu lost `consumed_inputs` at opset 6.
TEST(OnnxImporter, OldOpsetsOperatorByOperator) {
  OnnxModelBuilder b(/*opset=*/1);
  b.Input("x", {2});
  b.Node("Softsign", {"x"}, {"s"});
  b.Node("Relu", {"s"}, {"y"});
  b.Output("y", {2});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  const std::vector<UnsupportedNode> u = FindUnsupported(*graph);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].op, "Relu");
  EXPECT_EQ(u[0].reason,
            "opset 1: Relu changed at opset 6 (Kiln reads opsets 6 to 17 whole, older ones where an operator is as at 6)");
  EXPECT_EQ(Ops(*graph)[0], "ABS");
}

TEST(OnnxImporter, ShapeMismatchWithTheDeclaredOutput) {
  OnnxModelBuilder b;
  b.Input("x", {2, 3});
  b.Node("Transpose", {"x"}, {"y"});
  b.Output("y", {2, 3});
  EXPECT_EQ(Import(b).message(), "shape mismatch: output 'y' is declared [2,3] but Kiln infers [3,2]");
}

TEST(OnnxImporter, NodeWithoutOutput) {
  // Found by fuzzing: converters read output 0.
  OnnxModelBuilder b;
  b.Input("x", {3});
  b.Node("Shape", {"x"}, {});
  b.Node("Relu", {"x"}, {"y"});
  b.Output("y", {3});
  EXPECT_EQ(Import(b).message(), "node #0 Shape 'Shape': output 0 is missing");
}

TEST(OnnxImporter, TileRepeatsTooLargeToMultiply) {
  // Found by fuzzing: repeats * dim overflowed int64 before the size check,
  // then a count of copies too large to allocate.
  OnnxModelBuilder b;
  b.Input("x", {1, 4});
  b.Int64Initializer("r", {1, 8019785036440469507});
  b.Node("Tile", {"x", "r"}, {"y"});
  b.Output("y", {1, 4});
  auto graph = Import(b);
  ASSERT_TRUE(graph.ok()) << graph.message();
  const std::vector<UnsupportedNode> u = FindUnsupported(*graph);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].reason, "repeats[1] = 8019785036440469507 (at most 65536)");
  // Found next: repeats each within the bound whose product is not.
  OnnxModelBuilder c;
  c.Input("x", {4, 4});
  c.Int64Initializer("r", {65536, 65536});
  c.Node("Tile", {"x", "r"}, {"y"});
  c.Output("y", {4, 4});
  EXPECT_EQ(Import(c).message(), "node #0 Tile 'y': repeats[1] = 65536 makes an output of more than 2^31 elements");
}

TEST(OnnxImporter, InitializerPayloadMustMatchItsShape) {
  OnnxModelBuilder b;
  b.Input("x", {3});
  b.Initializer("k", {3}, {1, 2});
  b.Node("Add", {"x", "k"}, {"y"});
  b.Output("y", {3});
  EXPECT_EQ(Import(b).message(), "tensor 'k': holds 2 values but shape [3] has 3 elements");
}

TEST(OnnxImporter, ReadsExternalDataRelativeToTheModel) {
  const std::filesystem::path dir = test::TempDir("kiln-onnx-external");
  const float k[3] = {1.5f, -2.0f, 4.0f};
  std::vector<uint8_t> payload(8, 0);  // 8 bytes of padding before the tensor
  payload.insert(payload.end(), reinterpret_cast<const uint8_t*>(k), reinterpret_cast<const uint8_t*>(k) + 12);
  std::filesystem::create_directories(dir / "data");
  test::WriteBytes(dir / "data" / "weights.bin", payload);
  auto model = [&](const std::string& location) {
    OnnxModelBuilder b;
    b.Input("x", {3});
    auto* t = b.graph().add_initializer();
    t->set_name("k");
    t->set_data_type(onnx::TensorProto::FLOAT);
    t->add_dims(3);
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"location", location}, {"offset", "8"}, {"length", "12"}}) {
      auto* e = t->add_external_data();
      e->set_key(key);
      e->set_value(value);
    }
    b.Node("Add", {"x", "k"}, {"y"});
    b.Output("y", {3});
    test::WriteBytes(dir / "model.onnx", b.Bytes());
    return onnx_import::ImportOnnxFile(dir / "model.onnx");
  };
  auto graph = model("data/weights.bin");
  ASSERT_TRUE(graph.ok()) << graph.message();
  const Tensor& c = graph->tensor(graph->nodes[0].inputs[1]);
  EXPECT_FLOAT_EQ(c.float_at(0), 1.5f);
  EXPECT_FLOAT_EQ(c.float_at(2), 4.0f);
  EXPECT_EQ(model("../weights.bin").message(),
            "tensor 'k': external data location '../weights.bin' leaves the model's directory");
}

}  // namespace
}  // namespace kiln
