// Tests of the 16x8 kernels (int16 activations, int8 weights): CONV_2D,
// DEPTHWISE_CONV_2D and FULLY_CONNECTED against golden outputs of an
// independent model of TFLite's reference kernels (s16x8_golden.py), run
// with the parameters Lower computed, with int32, int64 and no bias (which
// pick TFLite Micro's accumulator); and Check's diagnostics.
#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kernels/recording_lowering_context.h"
#include "kernels/s16x8_cases.h"
#include "kiln/kernels/conv2d_s16.h"
#include "kiln/kernels/depthwise_conv2d_s16.h"
#include "kiln/kernels/fully_connected_s16.h"
#include "test_support.h"

namespace kiln::test {
namespace {

void AddBias(Graph& g, Node& node, const S16x8Operands& o, int32_t channels) {
  if (!o.bias64.empty())
    node.inputs.push_back(AddTensor(g, "bias", DType::kInt64, {channels}, {}, Bytes(o.bias64)));
  else if (!o.bias32.empty())
    node.inputs.push_back(AddTensor(g, "bias", DType::kInt32, {channels}, {}, Bytes(o.bias32)));
}

int32_t OutSize(const std::string& padding, int32_t in, int32_t k, int32_t stride, int32_t dil) {
  const int32_t eff = (k - 1) * dil + 1;
  return padding == "SAME" ? (in + stride - 1) / stride : (in - eff + stride) / stride;
}

Graph ConvGraph(const S16x8ConvCase& c, const S16x8Operands& o, Shape* output_shape) {
  Graph g;
  *output_shape = {c.n, OutSize(c.padding, c.h, c.kh, c.stride_h, c.dilation_h),
                   OutSize(c.padding, c.w, c.kw, c.stride_w, c.dilation_w), c.out_c};
  Node node;
  node.op = c.depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D;
  node.source_op = c.depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
  node.inputs.push_back(AddTensor(g, "input", DType::kInt16, {c.n, c.h, c.w, c.c}, Quant({c.input_scale}, 0)));
  const Shape filter_shape = c.depthwise ? Shape{1, c.kh, c.kw, c.out_c} : Shape{c.out_c, c.kh, c.kw, c.filter_c};
  node.inputs.push_back(AddTensor(g, "filter", DType::kInt8, filter_shape,
                                  Quant(c.filter_scales, 0, c.depthwise ? 3 : 0), Bytes(o.weights)));
  AddBias(g, node, o, c.out_c);
  node.outputs.push_back(AddTensor(g, "output", DType::kInt16, *output_shape, Quant({c.output_scale}, 0)));
  node.attrs.set("padding", std::string(c.padding));
  node.attrs.set("stride_h", int64_t{c.stride_h});
  node.attrs.set("stride_w", int64_t{c.stride_w});
  node.attrs.set("dilation_h", int64_t{c.dilation_h});
  node.attrs.set("dilation_w", int64_t{c.dilation_w});
  node.attrs.set("activation", std::string(c.activation));
  g.nodes.push_back(node);
  return g;
}

/// The tensors the lowered call names: input, weights, the bias if any, output.
std::string CallSignature(const std::string& bias) {
  return bias.empty() ? "const int16_t* t0, const int8_t* t1, int16_t* t2"
                      : "const int16_t* t0, const int8_t* t1, const int" + bias.substr(3) + "_t* t2, int16_t* t3";
}

/// Checks and lowers the graph's one node with its registered kernel.
RecordingLoweringContext CheckAndLower(const Graph& g, const char* variant) {
  RecordingLoweringContext ctx(g);
  const Node& node = g.nodes[0];
  const KernelEntry* entry = FindKernel(g, node);
  EXPECT_NE(entry, nullptr);
  if (entry == nullptr) return ctx;
  EXPECT_EQ(entry->variant, variant);
  const Status check = entry->check(g, node);
  EXPECT_TRUE(check.ok()) << check.message();
  const Status lowered = entry->lower(node, ctx);
  EXPECT_TRUE(lowered.ok()) << lowered.message();
  return ctx;
}

class S16x8Conv : public ::testing::TestWithParam<S16x8ConvCase> {};

TEST_P(S16x8Conv, LoweredKernelMatchesReference) {
  const S16x8ConvCase& c = GetParam();
  const S16x8Operands o = DrawFor(c);
  Shape out_shape;
  const Graph g = ConvGraph(c, o, &out_shape);
  RecordingLoweringContext ctx = CheckAndLower(g, c.depthwise ? "depthwise_conv2d_s16" : "conv2d_s16");
  ASSERT_EQ(ctx.statements.size(), 1u);
  EXPECT_EQ(CompileLowered(ctx, CallSignature(c.bias)), "");
  LoweredParams lp(ctx);
  const size_t count = static_cast<size_t>(out_shape[0]) * out_shape[1] * out_shape[2] * out_shape[3];
  ASSERT_EQ(c.expected.size(), count);
  std::vector<int16_t> out(count, 0x5555);
  if (c.depthwise) {
    kiln_depthwise_conv2d_s16_params_t p{};
    ReadConvGeometry(lp, p);
    ReadRequantization(lp, p);
    p.depth_multiplier = lp.Int("depth_multiplier");
    kiln_depthwise_conv2d_s16(&p, o.input.data(), o.weights.data(), o.bias64.empty() ? nullptr : o.bias64.data(),
                              out.data());
  } else {
    kiln_conv2d_s16_params_t p{};
    ReadConvGeometry(lp, p);
    ReadRequantization(lp, p);
    p.filter_c = lp.Int("filter_c");
    p.accumulator = lp.Int("accumulator");
    EXPECT_EQ(p.accumulator, c.bias == "int64" ? 1 : 0);
    kiln_conv2d_s16(&p, o.input.data(), o.weights.data(), o.bias(), out.data());
  }
  EXPECT_TRUE(lp.AllUsed());
  for (size_t i = 0; i < count; ++i) EXPECT_EQ(out[i], c.expected[i]) << "output element " << i;
}

INSTANTIATE_TEST_SUITE_P(Golden, S16x8Conv, ::testing::ValuesIn(kS16x8ConvCases),
                         [](const auto& info) { return std::string(info.param.name); });

Graph FcGraph(const S16x8FcCase& c, const S16x8Operands& o) {
  Graph g;
  Node node;
  node.op = OpKind::kFullyConnected;
  node.source_op = "FULLY_CONNECTED";
  node.inputs.push_back(AddTensor(g, "input", DType::kInt16, c.input_shape, Quant({c.input_scale}, 0)));
  node.inputs.push_back(AddTensor(g, "weights", DType::kInt8, {c.out_depth, c.accum_depth},
                                  Quant(c.weights_scales, c.weights_zp), Bytes(o.weights)));
  AddBias(g, node, o, c.out_depth);
  int64_t count = 1;
  for (int32_t d : c.input_shape) count *= d;
  node.outputs.push_back(AddTensor(g, "output", DType::kInt16,
                                   {static_cast<int32_t>(count / c.accum_depth), c.out_depth},
                                   Quant({c.output_scale}, 0)));
  node.attrs.set("activation", std::string(c.activation));
  g.nodes.push_back(node);
  return g;
}

class S16x8Fc : public ::testing::TestWithParam<S16x8FcCase> {};

TEST_P(S16x8Fc, LoweredKernelMatchesReference) {
  const S16x8FcCase& c = GetParam();
  const S16x8Operands o = DrawFor(c);
  const Graph g = FcGraph(c, o);
  RecordingLoweringContext ctx = CheckAndLower(g, "fully_connected_s16");
  ASSERT_EQ(ctx.statements.size(), 1u);
  EXPECT_EQ(CompileLowered(ctx, CallSignature(c.bias)), "");
  LoweredParams lp(ctx);
  kiln_fully_connected_s16_params_t p{};
  p.batches = lp.Int("batches");
  p.accum_depth = lp.Int("accum_depth");
  p.output_depth = lp.Int("output_depth");
  p.filter_offset = lp.Int("filter_offset");
  p.act_min = lp.Int("act_min");
  p.act_max = lp.Int("act_max");
  p.accumulator = lp.Int("accumulator");
  p.per_channel = lp.Int("per_channel");
  p.output_multiplier = lp.Array("output_multiplier");
  p.output_shift = lp.Array("output_shift");
  EXPECT_TRUE(lp.AllUsed());
  EXPECT_EQ(p.filter_offset, -c.weights_zp);
  ASSERT_EQ(c.expected.size(), static_cast<size_t>(p.batches) * p.output_depth);
  std::vector<int16_t> out(c.expected.size(), 0x5555);
  kiln_fully_connected_s16(&p, o.input.data(), o.weights.data(), o.bias(), out.data());
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], c.expected[i]) << "output element " << i;
}

INSTANTIATE_TEST_SUITE_P(Golden, S16x8Fc, ::testing::ValuesIn(kS16x8FcCases),
                         [](const auto& info) { return std::string(info.param.name); });

/// The case's graph with one tensor changed, and Check's answer.
template <typename Edit>
std::string CheckedWith(const S16x8ConvCase& c, Edit edit) {
  const S16x8Operands o = DrawFor(c);
  Shape out_shape;
  Graph g = ConvGraph(c, o, &out_shape);
  edit(g);
  return StatusText(c.depthwise ? CheckDepthwiseConv2D(g, g.nodes[0]) : CheckConv2D(g, g.nodes[0]));
}

TEST(S16x8Check, RefusesWhatTfliteMicroRefuses) {
  const S16x8ConvCase& conv = kS16x8ConvCases[0];
  const S16x8ConvCase& dw = kS16x8ConvCases[3];
  ASSERT_FALSE(conv.depthwise);
  ASSERT_TRUE(dw.depthwise);
  // int16 activations carry zero point 0.
  EXPECT_NE(CheckedWith(conv, [](Graph& g) { g.tensors[0].quant.zero_point = {3}; })
                .find("int16 input 'input' has zero point 3, expected 0"),
            std::string::npos);
  EXPECT_NE(CheckedWith(conv, [](Graph& g) { g.tensors[3].quant.zero_point = {-1}; })
                .find("int16 output 'output' has zero point -1"),
            std::string::npos);
  // The depthwise kernel reads an int64 bias only.
  EXPECT_NE(CheckedWith(dw,
                        [](Graph& g) {
                          g.tensors[2].dtype = DType::kInt32;
                          g.tensors[2].data.resize(g.tensors[2].data.size() / 2);
                        })
                .find("expected int64 (TFLite Micro's 16x8 depthwise kernel"),
            std::string::npos);
  // Weights stay int8, biases int32 or int64.
  EXPECT_NE(CheckedWith(conv, [](Graph& g) { g.tensors[1].dtype = DType::kInt16; }).find("filter"),
            std::string::npos);
  EXPECT_NE(CheckedWith(conv, [](Graph& g) { g.tensors[2].dtype = DType::kFloat32; }).find("bias"),
            std::string::npos);
  // A requantization scale of 2^8 or more cannot take the 64-bit path.
  EXPECT_NE(CheckedWith(conv, [](Graph& g) { g.tensors[3].quant.scale = {1e-9f}; })
                .find("too large for the 64-bit accumulator"),
            std::string::npos);
}

}  // namespace
}  // namespace kiln::test
