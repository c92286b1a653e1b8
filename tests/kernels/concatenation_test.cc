// Tests of CONCATENATION (src/kernels/concatenation.cc) and its runtime
// kernel (runtime/kernels/concatenation.c).
#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_test_util.h"
#include "kernels/recording_lowering_context.h"
#include "kiln/kernels/concatenation.h"

namespace kiln {
namespace {

using test::movement::AddNode;
using test::movement::AddTensor;
using test::movement::DeclInts;
using test::movement::Quant;

/// Lowers the node, then runs the kernel with the lowered parameters.
template <typename T>
std::vector<T> RunLowered(const Graph& g, const std::vector<std::vector<T>>& inputs,
                          size_t out_elements) {
  const Node& node = g.nodes[0];
  EXPECT_TRUE(CheckConcatenation(g, node).ok()) << CheckConcatenation(g, node).message();
  test::RecordingLoweringContext ctx(g);
  EXPECT_TRUE(LowerConcatenation(node, ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"concatenation"});
  std::vector<int32_t> slices;
  for (int64_t v : ctx.int_arrays.begin()->second) slices.push_back(static_cast<int32_t>(v));
  kiln_concatenation_params_t params;
  params.num_inputs = static_cast<int32_t>(DeclInts(ctx.declarations.at(0), "num_inputs").at(0));
  params.outer_size = static_cast<int32_t>(DeclInts(ctx.declarations.at(0), "outer_size").at(0));
  params.slice_bytes = slices.data();
  std::vector<const void*> pointers;
  for (const auto& in : inputs) pointers.push_back(in.data());
  std::vector<T> out(out_elements);
  kiln_concatenation(&params, pointers.data(), out.data());
  return out;
}

TEST(ConcatenationKernel, Int8AlongMiddleAxis) {
  // [2,2,1] ++ [2,1,1] along axis 1: row-major, each outer row takes two
  // values from the first input, then one from the second.
  Graph g;
  const int a = AddTensor(g, "a", DType::kInt8, {2, 2, 1}, Quant(0.5f, 3));
  const int b = AddTensor(g, "b", DType::kInt8, {2, 1, 1}, Quant(0.5f, 3));
  const int out = AddTensor(g, "out", DType::kInt8, {2, 3, 1}, Quant(0.5f, 3));
  AddNode(g, OpKind::kConcatenation, {a, b}, {out}).attrs.set("axis", int64_t{1});
  const std::vector<int8_t> expected = {1, 2, 5, 3, 4, 6};
  EXPECT_EQ(RunLowered<int8_t>(g, {{1, 2, 3, 4}, {5, 6}}, 6), expected);
}

TEST(ConcatenationKernel, FloatNegativeAxisThreeInputs) {
  // [2,1] ++ [2,2] ++ [2,1] along axis -1.
  Graph g;
  const int a = AddTensor(g, "a", DType::kFloat32, {2, 1});
  const int b = AddTensor(g, "b", DType::kFloat32, {2, 2});
  const int c = AddTensor(g, "c", DType::kFloat32, {2, 1});
  const int out = AddTensor(g, "out", DType::kFloat32, {2, 4});
  AddNode(g, OpKind::kConcatenation, {a, b, c}, {out}).attrs.set("axis", int64_t{-1});
  const std::vector<float> expected = {1.5f, 10, 11, -7, 2.5f, 12, 13, -8};
  EXPECT_EQ(RunLowered<float>(g, {{1.5f, 2.5f}, {10, 11, 12, 13}, {-7, -8}}, 8), expected);
}

TEST(ConcatenationKernel, Int16AndInt32AlongAxisZero) {
  Graph g;
  const int a = AddTensor(g, "a", DType::kInt16, {1, 2});
  const int b = AddTensor(g, "b", DType::kInt16, {2, 2});
  const int out = AddTensor(g, "out", DType::kInt16, {3, 2});
  AddNode(g, OpKind::kConcatenation, {a, b}, {out});
  const std::vector<int16_t> expected = {-32768, 32767, 1, 2, 3, 4};
  EXPECT_EQ(RunLowered<int16_t>(g, {{-32768, 32767}, {1, 2, 3, 4}}, 6), expected);

  Graph g32;
  const int x = AddTensor(g32, "x", DType::kInt32, {2});
  const int y = AddTensor(g32, "y", DType::kInt32, {1});
  const int o = AddTensor(g32, "o", DType::kInt32, {3});
  AddNode(g32, OpKind::kConcatenation, {x, y}, {o});
  const std::vector<int32_t> expected32 = {INT32_MIN, 7, INT32_MAX};
  EXPECT_EQ(RunLowered<int32_t>(g32, {{INT32_MIN, 7}, {INT32_MAX}}, 3), expected32);
}

TEST(ConcatenationLower, ComputesOuterSizeAndSliceBytes) {
  Graph g;
  const int a = AddTensor(g, "a", DType::kFloat32, {2, 3, 4});
  const int b = AddTensor(g, "b", DType::kFloat32, {2, 5, 4});
  const int out = AddTensor(g, "out", DType::kFloat32, {2, 8, 4});
  AddNode(g, OpKind::kConcatenation, {a, b}, {out}).attrs.set("axis", int64_t{-2});
  ASSERT_TRUE(CheckConcatenation(g, g.nodes[0]).ok());
  test::RecordingLoweringContext ctx(g);
  ASSERT_TRUE(LowerConcatenation(g.nodes[0], ctx).ok());
  ASSERT_EQ(ctx.int_arrays.size(), 1u);
  EXPECT_EQ(ctx.int_arrays.begin()->second, (std::vector<int64_t>{48, 80}));
  EXPECT_EQ(DeclInts(ctx.declarations.at(0), "outer_size"), std::vector<int64_t>{2});
  EXPECT_EQ(DeclInts(ctx.declarations.at(0), "num_inputs"), std::vector<int64_t>{2});
  ASSERT_EQ(ctx.statements.size(), 1u);
  EXPECT_NE(ctx.statements[0].find("const void* const inputs[2] = {t0, t1};"), std::string::npos);
  EXPECT_NE(ctx.statements[0].find("kiln_concatenation(&concat_params_1, inputs, t2);"),
            std::string::npos);
}

TEST(ConcatenationCheck, RejectsBadShapesAxisAndActivation) {
  Graph g;
  const int a = AddTensor(g, "a", DType::kFloat32, {2, 3});
  const int b = AddTensor(g, "b", DType::kFloat32, {3, 3});
  const int out = AddTensor(g, "out", DType::kFloat32, {2, 6});
  AddNode(g, OpKind::kConcatenation, {a, b}, {out}).attrs.set("axis", int64_t{1});
  Status s = CheckConcatenation(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 CONCATENATION: input 1 'b' has shape [3,3], which cannot be "
            "concatenated with [2,3] along axis 1");
  g.tensors[1].shape = {2, 3};
  EXPECT_TRUE(CheckConcatenation(g, g.nodes[0]).ok());
  g.tensors[2].shape = {2, 5};
  s = CheckConcatenation(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 CONCATENATION: output 0 'out' has shape [2,5], expected [2,6]");
  g.tensors[2].shape = {2, 6};
  g.nodes[0].attrs.set("axis", int64_t{-3});
  s = CheckConcatenation(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 CONCATENATION: axis -3 is out of range for output 'out' of rank 2");
  g.nodes[0].attrs.set("axis", int64_t{1});
  g.nodes[0].attrs.set("activation", std::string("RELU"));
  s = CheckConcatenation(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 CONCATENATION: fused activation RELU is not supported (TFLite requires "
            "NONE)");
}

TEST(ConcatenationCheck, RequiresSharedQuantizationAndDType) {
  Graph g;
  const int a = AddTensor(g, "a", DType::kInt8, {1, 2}, Quant(0.5f, 1));
  const int b = AddTensor(g, "b", DType::kInt8, {1, 2}, Quant(0.25f, 1));
  const int out = AddTensor(g, "out", DType::kInt8, {1, 4}, Quant(0.5f, 1));
  AddNode(g, OpKind::kConcatenation, {a, b}, {out}).attrs.set("axis", int64_t{1});
  Status s = CheckConcatenation(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 CONCATENATION: input 1 'b' and output 'out' have different "
            "quantization; int8 concatenation requires every input to share the output's scale "
            "and zero point");
  g.tensors[1].quant = Quant(0.5f, 1);
  EXPECT_TRUE(CheckConcatenation(g, g.nodes[0]).ok());
  g.tensors[1].dtype = DType::kInt16;
  s = CheckConcatenation(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 CONCATENATION: input 1 (input 'b') has dtype int16, expected int8");
}

}  // namespace
}  // namespace kiln
