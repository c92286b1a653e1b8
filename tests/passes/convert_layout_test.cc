// passes/convert_layout.cc and passes/cancel_transposes.cc on graphs from
// the ONNX importer with the passes turned off, one pass at a time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "frontend/onnx/onnx_importer.h"
#include "ir/op_table.h"
#include "kernels/select_kernels.h"
#include "onnx_model_builder.h"
#include "passes/onnx_passes.h"

namespace kiln {
namespace {

using test::OnnxModelBuilder;
using testing::ElementsAre;

using test::Ops;

using test::ImportRaw;

// x[1,2,3,3] -> Conv(w[2,2,2,2]) -> MaxPool(2x2, stride 1) -> y[1,2,1,1]
OnnxModelBuilder ConvPool() {
  OnnxModelBuilder b;
  b.Input("x", {1, 2, 3, 3});
  std::vector<float> w(16);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i);
  b.Initializer("w", {2, 2, 2, 2}, w);
  b.Node("Conv", {"x", "w"}, {"c"});
  auto* pool = b.Node("MaxPool", {"c"}, {"y"});
  OnnxModelBuilder::Ints(pool, "kernel_shape", {2, 2});
  b.Output("y", {1, 2, 1, 1});
  return b;
}

TEST(ConvertLayout, WrapsNchwNodesInTransposesAndConvertsTheFilter) {
  Graph g = ImportRaw(ConvPool());
  EXPECT_THAT(Ops(g), ElementsAre("CONV_2D", "MAX_POOL_2D"));
  EXPECT_EQ(g.nodes[0].attrs.get_string("layout"), "NCHW");
  ASSERT_TRUE(ConvertLayout(&g).ok());
  EXPECT_THAT(Ops(g), ElementsAre("TRANSPOSE", "CONV_2D", "TRANSPOSE", "TRANSPOSE", "MAX_POOL_2D", "TRANSPOSE"));
  const Node& conv = g.nodes[1];
  EXPECT_FALSE(conv.attrs.has("layout"));
  EXPECT_EQ(g.tensor(conv.inputs[0]).shape, (Shape{1, 3, 3, 2}));
  const Tensor& filter = g.tensor(conv.inputs[1]);
  EXPECT_EQ(filter.shape, (Shape{2, 2, 2, 2}));
  // OHWI[o][h][w][i] = OIHW[o][i][h][w]: [0][0][1][1] <- [0][1][0][1] = 5.
  EXPECT_FLOAT_EQ(filter.float_at(0 * 8 + 0 * 4 + 1 * 2 + 1), 5.0f);
  EXPECT_EQ(g.tensor(conv.outputs[0]).shape, (Shape{1, 2, 2, 2}));
  // The model's tensors keep their NCHW shapes.
  EXPECT_EQ(g.tensor(g.outputs[0]).shape, (Shape{1, 2, 1, 1}));
}

TEST(CancelTransposes, RemovesInversePairsAndKeepsTheModelCompilable) {
  Graph g = ImportRaw(ConvPool());
  ASSERT_TRUE(ConvertLayout(&g).ok());
  ASSERT_TRUE(CancelTransposes(&g).ok());
  ASSERT_TRUE(RemoveDeadCode(&g).ok());
  EXPECT_THAT(Ops(g), ElementsAre("TRANSPOSE", "CONV_2D", "MAX_POOL_2D", "TRANSPOSE"));
  EXPECT_TRUE(SelectKernels(g).ok());
}

TEST(CancelTransposes, SinksThroughBinaryOpsWithPermutedConstants) {
  // Conv -> Add(per-channel constant [2,1,1]) -> Conv: the constant becomes [1,1,2].
  OnnxModelBuilder b;
  b.Input("x", {1, 1, 2, 2});
  b.Initializer("w1", {2, 1, 1, 1}, {1, 2});
  b.Initializer("k", {2, 1, 1}, {10, 20});
  b.Initializer("w2", {1, 2, 1, 1}, {1, 1});
  b.Node("Conv", {"x", "w1"}, {"a"});
  b.Node("Relu", {"a"}, {"r"});
  b.Node("Add", {"r", "k"}, {"s"});
  b.Node("Conv", {"s", "w2"}, {"y"});
  b.Output("y", {1, 1, 2, 2});
  Graph g = ImportRaw(b);
  ASSERT_TRUE(RunOnnxPasses(&g).ok());
  EXPECT_THAT(Ops(g), ElementsAre("TRANSPOSE", "CONV_2D", "RELU", "ADD", "CONV_2D", "TRANSPOSE"));
  const Tensor& k = g.tensor(g.nodes[3].inputs[1]);
  EXPECT_EQ(k.shape, (Shape{1, 1, 1, 2}));
  EXPECT_FLOAT_EQ(k.float_at(1), 20.0f);
  EXPECT_TRUE(SelectKernels(g).ok());
}

TEST(FoldChannelAffine, FoldsBatchNormIntoTheConvolution) {
  OnnxModelBuilder b;
  b.Input("x", {1, 1, 2, 2});
  b.Initializer("w", {2, 1, 1, 1}, {1, 2});
  b.Initializer("scale", {2}, {3, 4});
  b.Initializer("shift", {2}, {1, 1});
  b.Initializer("mean", {2}, {0, 0});
  b.Initializer("var", {2}, {1, 1});
  b.Node("Conv", {"x", "w"}, {"c"});
  auto* bn = b.Node("BatchNormalization", {"c", "scale", "shift", "mean", "var"}, {"y"});
  OnnxModelBuilder::Float(bn, "epsilon", 0.0f);
  b.Output("y", {1, 2, 2, 2});
  Graph g = ImportRaw(b);
  EXPECT_THAT(Ops(g), ElementsAre("CONV_2D", "MUL", "ADD"));
  ASSERT_TRUE(FoldChannelAffine(&g).ok());
  ASSERT_THAT(Ops(g), ElementsAre("CONV_2D"));
  const Tensor& w = g.tensor(g.nodes[0].inputs[1]);
  EXPECT_FLOAT_EQ(w.float_at(0), 3.0f);
  EXPECT_FLOAT_EQ(w.float_at(1), 8.0f);
  const Tensor& bias = g.tensor(g.nodes[0].inputs[2]);
  EXPECT_FLOAT_EQ(bias.float_at(0), 1.0f);
  EXPECT_FLOAT_EQ(bias.float_at(1), 1.0f);
  EXPECT_EQ(g.nodes[0].outputs[0], g.outputs[0]);
}

TEST(FoldChannelAffine, LeavesAConvolutionWithASecondReaderAlone) {
  OnnxModelBuilder b;
  b.Input("x", {1, 1, 2, 2});
  b.Initializer("w", {1, 1, 1, 1}, {2});
  b.Initializer("k", {1, 1, 1}, {3});
  b.Node("Conv", {"x", "w"}, {"c"});
  b.Node("Mul", {"c", "k"}, {"m"});
  b.Node("Add", {"c", "m"}, {"y"});
  b.Output("y", {1, 1, 2, 2});
  Graph g = ImportRaw(b);
  ASSERT_TRUE(FoldChannelAffine(&g).ok());
  EXPECT_THAT(Ops(g), ElementsAre("CONV_2D", "MUL", "ADD"));
}

}  // namespace
}  // namespace kiln
