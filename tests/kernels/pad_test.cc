// Tests of PAD (src/kernels/pad.cc) and its runtime kernel
// (runtime/kernels/pad.c). Expected outputs are worked out by hand from
// TFLite's definition: out[i] = in[i - before] inside the input, else the
// pad value (the output zero point for int8, 0 otherwise).
#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_test_util.h"
#include "kernels/recording_lowering_context.h"
#include "kiln/kernels/pad.h"

namespace kiln {
namespace {

using test::movement::AddConstant;
using test::movement::AddNode;
using test::movement::AddTensor;
using test::movement::DeclInts;
using test::movement::Fill;
using test::movement::Quant;

/// PAD of `in_shape` by constant int32 `paddings` to `out_shape`.
Graph PadGraph(DType dtype, const Shape& in_shape, const std::vector<int32_t>& paddings,
               const Shape& out_shape, Quantization quant = {}) {
  Graph g;
  const int in = AddTensor(g, "in", dtype, in_shape, quant);
  const int pad = AddConstant(g, "paddings", DType::kInt32,
                              {static_cast<int32_t>(paddings.size() / 2), 2}, paddings);
  const int out = AddTensor(g, "out", dtype, out_shape, quant);
  AddNode(g, OpKind::kPad, {in, pad}, {out});
  return g;
}

/// Checks, lowers, and runs the kernel with the lowered parameters.
template <typename T>
std::vector<T> RunLowered(const Graph& g, const std::vector<T>& input, size_t out_elements,
                          std::string* decl = nullptr) {
  const Node& node = g.nodes[0];
  const Status s = CheckPad(g, node);
  EXPECT_TRUE(s.ok()) << s.message();
  test::RecordingLoweringContext ctx(g);
  EXPECT_TRUE(LowerPad(node, ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"pad"});
  const std::string& d = ctx.declarations.at(0);
  if (decl) *decl = d;
  kiln_pad_params_t p;
  p.element_size = static_cast<int32_t>(DeclInts(d, "element_size").at(0));
  Fill(p.input_dims, DeclInts(d, "input_dims"));
  Fill(p.output_dims, DeclInts(d, "output_dims"));
  Fill(p.pad_before, DeclInts(d, "pad_before"));
  p.fill_bits = static_cast<int32_t>(DeclInts(d, "fill_bits").at(0));
  std::vector<T> out(out_elements, T(99));
  kiln_pad(&p, input.data(), out.data());
  return out;
}

TEST(PadKernel, Int8PadsWithOutputZeroPoint) {
  const Graph g = PadGraph(DType::kInt8, {2, 3}, {1, 0, 2, 1}, {3, 6}, Quant(0.1f, -5));
  const std::vector<int8_t> expected = {-5, -5, -5, -5, -5, -5,  //
                                        -5, -5, 1,  2,  3,  -5,  //
                                        -5, -5, 4,  5,  6,  -5};
  std::string decl;
  EXPECT_EQ(RunLowered<int8_t>(g, {1, 2, 3, 4, 5, 6}, 18, &decl), expected);
  EXPECT_EQ(DeclInts(decl, "fill_bits"), std::vector<int64_t>{-5});
  EXPECT_EQ(DeclInts(decl, "pad_before"), (std::vector<int64_t>{0, 0, 0, 0, 1, 2}));
}

TEST(PadKernel, FloatImageStylePadsWithZero) {
  const Graph g =
      PadGraph(DType::kFloat32, {1, 2, 2, 1}, {0, 0, 1, 1, 0, 1, 0, 0}, {1, 4, 3, 1});
  const std::vector<float> expected = {0, 0, 0, 1.5f, -2, 0, 3, 4, 0, 0, 0, 0};
  EXPECT_EQ(RunLowered<float>(g, {1.5f, -2, 3, 4}, 12), expected);
}

TEST(PadKernel, Int16ConstantValuesInput) {
  Graph g = PadGraph(DType::kInt16, {3}, {2, 1}, {6});
  const int value = AddConstant(g, "value", DType::kInt16, {}, std::vector<int16_t>{-2});
  g.nodes[0].inputs.push_back(value);
  const std::vector<int16_t> expected = {-2, -2, 300, -400, 32767, -2};
  EXPECT_EQ(RunLowered<int16_t>(g, {300, -400, 32767}, 6), expected);
}

TEST(PadKernel, Int32SixDimensions) {
  const Graph g = PadGraph(DType::kInt32, {1, 1, 1, 1, 1, 2},
                           {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, {2, 1, 1, 1, 1, 4});
  const std::vector<int32_t> expected = {0, 0, 0, 0, 0, INT32_MIN, INT32_MAX, 0};
  EXPECT_EQ(RunLowered<int32_t>(g, {INT32_MIN, INT32_MAX}, 8), expected);
}

TEST(PadKernel, Int16WithoutConstantPadsWithZero) {
  // TFLite Micro pads int16 with 0, not with the zero point.
  const Graph g = PadGraph(DType::kInt16, {2}, {1, 1}, {4}, Quant(0.5f, 0));
  const std::vector<int16_t> expected = {0, -7, 7, 0};
  EXPECT_EQ(RunLowered<int16_t>(g, {-7, 7}, 4), expected);
}

TEST(PadLower, FloatConstantValueBits) {
  Graph g = PadGraph(DType::kFloat32, {2}, {0, 1}, {3});
  const int value = AddConstant(g, "value", DType::kFloat32, {1}, std::vector<float>{1.5f});
  g.nodes[0].inputs.push_back(value);
  std::string decl;
  const std::vector<float> expected = {-1, 2, 1.5f};
  EXPECT_EQ(RunLowered<float>(g, {-1, 2}, 3, &decl), expected);
  EXPECT_EQ(DeclInts(decl, "fill_bits"), std::vector<int64_t>{0x3FC00000});
}

TEST(PadCheck, RejectsBadPaddings) {
  Graph g = PadGraph(DType::kInt8, {2, 3}, {1, 0, -1, 1}, {3, 3});
  Status s = CheckPad(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 PAD: paddings of dimension 1 are [-1, 1]; negative padding is not "
            "supported");
  g = PadGraph(DType::kInt8, {2, 3}, {1, 0}, {3, 3});
  s = CheckPad(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 PAD: input 1 (paddings 'paddings') has shape [1,2], expected [2,2] for "
            "an input of rank 2");
  g = PadGraph(DType::kInt8, {2, 3}, {1, 0, 0, 1}, {3, 3});
  g.tensors[1].is_constant = false;
  s = CheckPad(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 PAD: input 1 (paddings 'paddings') must be a constant tensor");
}

TEST(PadCheck, RejectsWrongOutputShape) {
  const Graph g = PadGraph(DType::kFloat32, {2, 3}, {1, 0, 0, 1}, {3, 5});
  const Status s = CheckPad(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 PAD: output 0 'out' has shape [3,5], expected [3,4]");
}

}  // namespace
}  // namespace kiln
