// Tests of CONV_2D and DEPTHWISE_CONV_2D: the runtime kernels against
// hand-worked cases and golden outputs of an independent model of TFLite's
// reference kernels (conv_golden.py), run with the parameters Lower
// computed; Check's diagnostics; Lower's multipliers, padding and C.
#include <gtest/gtest.h>

#include <cfloat>

#include "kernels/conv_test_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/recording_lowering_context.h"
#include "kiln/kernels/conv2d_f32.h"
#include "kiln/kernels/conv2d_s8.h"
#include "kiln/kernels/depthwise_conv2d_f32.h"
#include "kiln/kernels/depthwise_conv2d_s8.h"
#include "test_support.h"

namespace kiln::test {
namespace {

int32_t OutSize(const std::string& padding, int32_t in, int32_t k, int32_t stride, int32_t dil) {
  // TFLite: SAME -> ceil(in / stride); VALID -> ceil((in - dilated_k + 1) / stride).
  const int32_t eff = (k - 1) * dil + 1;
  return padding == "SAME" ? (in + stride - 1) / stride : (in - eff + stride) / stride;
}

/// A one-node graph for a golden case; fills the operands it generated.
struct ConvSetup {
  Graph graph;
  std::vector<int8_t> input_q, filter_q;
  std::vector<int32_t> bias_q;
  std::vector<float> input_f, filter_f, bias_f;
  Shape output_shape;
};

ConvSetup BuildConv(const ConvCase& c) {
  ConvSetup s;
  Lcg lcg(c.seed);
  const int64_t input_count = int64_t{c.n} * c.h * c.w * c.c;
  const int64_t filter_count = int64_t{c.kh} * c.kw * c.out_c * (c.depthwise ? 1 : c.filter_c);
  for (int64_t i = 0; i < input_count; ++i) {
    if (c.quantized)
      s.input_q.push_back(lcg.I8());
    else
      s.input_f.push_back(lcg.F());
  }
  for (int64_t i = 0; i < filter_count; ++i) {
    if (c.quantized)
      s.filter_q.push_back(lcg.I8());
    else
      s.filter_f.push_back(lcg.F());
  }
  if (c.has_bias) {
    for (int32_t i = 0; i < c.out_c; ++i) {
      if (c.quantized)
        s.bias_q.push_back(lcg.Bias());
      else
        s.bias_f.push_back(lcg.F());
    }
  }
  const DType dt = c.quantized ? DType::kInt8 : DType::kFloat32;
  const Shape filter_shape =
      c.depthwise ? Shape{1, c.kh, c.kw, c.out_c} : Shape{c.out_c, c.kh, c.kw, c.filter_c};
  s.output_shape = {c.n, OutSize(c.padding, c.h, c.kh, c.stride_h, c.dilation_h),
                    OutSize(c.padding, c.w, c.kw, c.stride_w, c.dilation_w), c.out_c};
  Quantization in_q, f_q, out_q;
  if (c.quantized) {
    in_q = Quant({c.input_scale}, c.input_zp);
    f_q = Quant(c.filter_scales, 0, c.depthwise ? 3 : 0);
    out_q = Quant({c.output_scale}, c.output_zp);
  }
  Node node;
  node.index = 7;
  node.op = c.depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D;
  node.source_op = c.depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
  node.inputs.push_back(AddTensor(s.graph, "input", dt, {c.n, c.h, c.w, c.c}, in_q));
  node.inputs.push_back(AddTensor(s.graph, "filter", dt, filter_shape, f_q,
                                  c.quantized ? Bytes(s.filter_q) : Bytes(s.filter_f)));
  if (c.has_bias) {
    node.inputs.push_back(AddTensor(s.graph, "bias", c.quantized ? DType::kInt32 : dt, {c.out_c},
                                    {}, c.quantized ? Bytes(s.bias_q) : Bytes(s.bias_f)));
  } else if (c.depthwise) {
    node.inputs.push_back(kNoTensor);  // an absent optional slot, as the importer may give
  }
  node.outputs.push_back(AddTensor(s.graph, "output", dt, s.output_shape, out_q));
  node.attrs.set("padding", std::string(c.padding));
  node.attrs.set("stride_h", int64_t{c.stride_h});
  node.attrs.set("stride_w", int64_t{c.stride_w});
  node.attrs.set("dilation_h", int64_t{c.dilation_h});
  node.attrs.set("dilation_w", int64_t{c.dilation_w});
  node.attrs.set("activation", std::string(c.activation));
  // Newer converters may leave the redundant attribute 0; it must not matter.
  if (c.depthwise) node.attrs.set("depth_multiplier", int64_t{0});
  s.graph.nodes.push_back(node);
  return s;
}

template <typename P>
void ReadQuantFields(LoweredParams& lp, P& p) {
  p.input_offset = lp.Int("input_offset");
  p.output_offset = lp.Int("output_offset");
  ReadRequantization(lp, p);
}

class ConvGolden : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvGolden, LoweredKernelMatchesReference) {
  const ConvCase& c = GetParam();
  ConvSetup s = BuildConv(c);
  const Node& node = s.graph.nodes[0];
  const KernelEntry* entry = FindKernel(s.graph, node);
  ASSERT_NE(entry, nullptr);
  const Status check = entry->check(s.graph, node);
  ASSERT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(s.graph);
  const Status lowered = entry->lower(node, ctx);
  ASSERT_TRUE(lowered.ok()) << lowered.message();
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{std::string(entry->variant)});
  ASSERT_EQ(ctx.statements.size(), 1u);
  EXPECT_TRUE(ctx.scratch_bytes.empty());
  const std::string bias_arg = c.has_bias ? "t2" : "NULL";
  const std::string out_arg = c.has_bias ? "t3" : "t2";
  EXPECT_NE(ctx.statements[0].find("t0, t1, " + bias_arg + ", " + out_arg + ");"),
            std::string::npos)
      << ctx.statements[0];

  LoweredParams lp(ctx);
  const size_t out_count = static_cast<size_t>(s.output_shape[0]) * s.output_shape[1] *
                           s.output_shape[2] * s.output_shape[3];
  const int32_t* bias_q = c.has_bias ? s.bias_q.data() : nullptr;
  const float* bias_f = c.has_bias ? s.bias_f.data() : nullptr;
  if (c.quantized) {
    ASSERT_EQ(c.expected_q.size(), out_count);
    std::vector<int8_t> out(out_count, 0x55);
    if (c.depthwise) {
      kiln_depthwise_conv2d_s8_params_t p{};
      ReadConvGeometry(lp, p);
      p.depth_multiplier = lp.Int("depth_multiplier");
      ReadQuantFields(lp, p);
      kiln_depthwise_conv2d_s8(&p, s.input_q.data(), s.filter_q.data(), bias_q, out.data());
    } else {
      kiln_conv2d_s8_params_t p{};
      ReadConvGeometry(lp, p);
      p.filter_c = lp.Int("filter_c");
      ReadQuantFields(lp, p);
      kiln_conv2d_s8(&p, s.input_q.data(), s.filter_q.data(), bias_q, out.data());
    }
    EXPECT_TRUE(lp.AllUsed());
    for (size_t i = 0; i < out_count; ++i)
      EXPECT_EQ(out[i], c.expected_q[i]) << "output element " << i;
  } else {
    ASSERT_EQ(c.expected_f.size(), out_count);
    std::vector<float> out(out_count, -7.0f);
    if (c.depthwise) {
      kiln_depthwise_conv2d_f32_params_t p{};
      ReadConvGeometry(lp, p);
      p.depth_multiplier = lp.Int("depth_multiplier");
      p.act_min = lp.Float("act_min");
      p.act_max = lp.Float("act_max");
      kiln_depthwise_conv2d_f32(&p, s.input_f.data(), s.filter_f.data(), bias_f, out.data());
    } else {
      kiln_conv2d_f32_params_t p{};
      ReadConvGeometry(lp, p);
      p.filter_c = lp.Int("filter_c");
      p.act_min = lp.Float("act_min");
      p.act_max = lp.Float("act_max");
      kiln_conv2d_f32(&p, s.input_f.data(), s.filter_f.data(), bias_f, out.data());
    }
    EXPECT_TRUE(lp.AllUsed());
    for (size_t i = 0; i < out_count; ++i)
      EXPECT_NEAR(out[i], c.expected_f[i], 1e-5) << "output element " << i;
  }
}

TEST_P(ConvGolden, LoweredCCompiles) {
  const ConvCase& c = GetParam();
  ConvSetup s = BuildConv(c);
  const Node& node = s.graph.nodes[0];
  const KernelEntry* entry = FindKernel(s.graph, node);
  ASSERT_NE(entry, nullptr);
  RecordingLoweringContext ctx(s.graph);
  ASSERT_TRUE(entry->lower(node, ctx).ok());
  const std::string t = c.quantized ? "int8_t" : "float";
  const std::string b = c.quantized ? "int32_t" : "float";
  std::string sig = "const " + t + "* t0, const " + t + "* t1, ";
  sig += c.has_bias ? "const " + b + "* t2, " + t + "* t3" : t + "* t2";
  EXPECT_EQ(CompileLowered(ctx, sig), "");
}

INSTANTIATE_TEST_SUITE_P(Cases, ConvGolden, ::testing::ValuesIn(kConvCases),
                         [](const auto& info) { return std::string(info.param.name); });

// --- Hand-worked kernel cases ----------------------------------------------

kiln_conv2d_s8_params_t PointwiseParams(int32_t width, const int32_t* mult, const int32_t* shift) {
  kiln_conv2d_s8_params_t p{};
  p.batches = 1;
  p.input_h = 1;
  p.input_w = width;
  p.input_c = 1;
  p.filter_h = p.filter_w = p.filter_c = 1;
  p.output_h = 1;
  p.output_w = width;
  p.output_c = 1;
  p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
  p.act_min = -128;
  p.act_max = 127;
  p.output_multiplier = mult;
  p.output_shift = shift;
  return p;
}

TEST(Conv2DS8Kernel, HandWorked2x2Valid) {
  // 3x3 image 1..9, 2x2 filter of ones, scale 1*1/2 (multiplier 2^30, shift 0):
  // window sums 12, 16, 24, 28 halve to 6, 8, 12, 14; bias 2 adds 1 after scaling.
  const int8_t input[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const int8_t filter[4] = {1, 1, 1, 1};
  const int32_t bias[1] = {2};
  const int32_t mult[1] = {1 << 30}, shift[1] = {0};
  kiln_conv2d_s8_params_t p = PointwiseParams(3, mult, shift);
  p.input_h = 3;
  p.filter_h = p.filter_w = 2;
  p.output_h = p.output_w = 2;
  int8_t out[4] = {0};
  kiln_conv2d_s8(&p, input, filter, nullptr, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{6, 8, 12, 14}));
  kiln_conv2d_s8(&p, input, filter, bias, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{7, 9, 13, 15}));
}

TEST(Conv2DS8Kernel, RoundingTiesFollowTflite) {
  // Scale 0.5 (2^30, shift 0): the doubling high-mul rounds +1.5 -> 2,
  // +0.5 -> 1, but -0.5 -> 0 and -1.5 -> -1 (its nudge is 1 - 2^30).
  const int8_t input[4] = {-3, -1, 1, 3};
  const int8_t filter[1] = {1};
  const int32_t half[1] = {1 << 30}, zero[1] = {0};
  kiln_conv2d_s8_params_t p = PointwiseParams(4, half, zero);
  int8_t out[4];
  kiln_conv2d_s8(&p, input, filter, nullptr, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{-1, 0, 1, 2}));
  // Scale 0.25 (2^30, shift -1): exact halving, then the rounding right shift
  // breaks ties away from zero: -3/2 -> -2, -1/2 -> -1, 1/2 -> 1, 3/2 -> 2.
  const int8_t input2[4] = {-6, -2, 2, 6};
  const int32_t minus_one[1] = {-1};
  p.output_shift = minus_one;
  kiln_conv2d_s8(&p, input2, filter, nullptr, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{-2, -1, 1, 2}));
}

TEST(Conv2DS8Kernel, LeftShiftOffsetsAndSaturation) {
  // Scale 4 = 0.5 * 2^3 (2^30, shift 3). Input zero point 10 -> offset -10;
  // output zero point -5. (x - 10) * 4 - 5, clamped to int8.
  const int8_t input[4] = {13, 10, 50, -40};
  const int8_t filter[1] = {1};
  const int32_t mult[1] = {1 << 30}, shift[1] = {3};
  kiln_conv2d_s8_params_t p = PointwiseParams(4, mult, shift);
  p.input_offset = -10;
  p.output_offset = -5;
  int8_t out[4];
  kiln_conv2d_s8(&p, input, filter, nullptr, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{7, -5, 127, -128}));
  // A fused-activation range clamps inside int8.
  p.act_min = -5;
  p.act_max = 20;
  kiln_conv2d_s8(&p, input, filter, nullptr, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{7, -5, 20, -5}));
}

TEST(DepthwiseConv2DS8Kernel, ChannelMappingWithMultiplier) {
  // 1x1 filter, 2 input channels, M = 2: output c*2+m = in[c] * f[c*2+m].
  // Scale 1 = 0.5 * 2^1 (2^30, shift 1).
  const int8_t input[2] = {10, 20};
  const int8_t filter[4] = {1, 2, 3, -4};
  const int32_t bias[4] = {0, 1, 0, -1};
  const int32_t mult[4] = {1 << 30, 1 << 30, 1 << 30, 1 << 30}, shift[4] = {1, 1, 1, 1};
  kiln_depthwise_conv2d_s8_params_t p{};
  p.batches = p.input_h = p.input_w = 1;
  p.input_c = 2;
  p.filter_h = p.filter_w = 1;
  p.output_h = p.output_w = 1;
  p.output_c = 4;
  p.depth_multiplier = 2;
  p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
  p.act_min = -128;
  p.act_max = 127;
  p.output_multiplier = mult;
  p.output_shift = shift;
  int8_t out[4];
  kiln_depthwise_conv2d_s8(&p, input, filter, bias, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{10, 21, 60, -81}));
}

TEST(Conv2DF32Kernel, HandWorkedSamePaddingRelu) {
  // 2x2 image, 2x2 filter, SAME: output 2x2, padding 0 before (the odd unit
  // goes after). Window at (0,0) sees all four pixels; (1,1) sees only one.
  const float input[4] = {1.0f, 2.0f, 3.0f, 4.0f};
  const float filter[4] = {1.0f, -1.0f, 0.5f, 0.25f};
  const float bias[1] = {-1.0f};
  kiln_conv2d_f32_params_t p{};
  p.batches = 1;
  p.input_h = p.input_w = 2;
  p.input_c = 1;
  p.filter_h = p.filter_w = 2;
  p.filter_c = 1;
  p.output_h = p.output_w = 2;
  p.output_c = 1;
  p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
  p.act_min = 0.0f;
  p.act_max = FLT_MAX;
  float out[4];
  kiln_conv2d_f32(&p, input, filter, bias, out);
  // (0,0): 1 - 2 + 1.5 + 1 - 1 = 0.5; (0,1): 2 + 2 - 1 = 3; (1,0): 3 - 4 - 1 -> 0; (1,1): 4 - 1
  // = 3.
  EXPECT_EQ(std::vector<float>(out, out + 4), (std::vector<float>{0.5f, 3.0f, 0.0f, 3.0f}));
}

}  // namespace
}  // namespace kiln::test

namespace kiln::test {
namespace {

// --- Check diagnostics ------------------------------------------------------

/// The first golden case of the given kind, as a graph to break.
ConvSetup Base(bool depthwise) {
  for (const ConvCase& c : kConvCases) {
    if (c.quantized && c.depthwise == depthwise && c.has_bias) return BuildConv(c);
  }
  return {};
}

std::string CheckMessage(const ConvSetup& s) {
  const Node& node = s.graph.nodes[0];
  return StatusText(node.op == OpKind::kConv2D ? CheckConv2D(s.graph, node)
                                               : CheckDepthwiseConv2D(s.graph, node));
}

TEST(Conv2DCheck, AcceptsGoldenGraphs) {
  EXPECT_EQ(CheckMessage(Base(false)), "ok");
  EXPECT_EQ(CheckMessage(Base(true)), "ok");
}

TEST(Conv2DCheck, OutputShapeMustFollowTheRule) {
  ConvSetup s = Base(false);  // input [1,5,5,3], 3x3 SAME -> [1,5,5,4]
  s.graph.tensors[3].shape = {1, 4, 4, 4};
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: output 0 'output' has shape [1,4,4,4], expected [1,5,5,4]");
}

TEST(Conv2DCheck, FilterQuantization) {
  ConvSetup s = Base(false);
  s.graph.tensors[1].quant.zero_point[2] = 3;
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: filter 'filter' has zero point 3, expected 0 (symmetric int8 "
            "weights)");
  s = Base(false);
  s.graph.tensors[1].quant = Quant({0.1f, 0.2f, 0.3f}, 0);
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: filter 'filter' has 3 per-channel scales, expected 4");
  s = Base(true);
  s.graph.tensors[1].quant.axis = 0;
  EXPECT_EQ(CheckMessage(s),
            "operator #7 DEPTHWISE_CONV_2D: filter 'filter' is quantized along dimension 0, "
            "expected 3");
  s = Base(false);
  s.graph.tensors[0].quant = {};
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: input 'input' needs per-tensor quantization with a positive "
            "scale");
}

TEST(Conv2DCheck, DTypes) {
  ConvSetup s = Base(false);
  s.graph.tensors[2].dtype = DType::kFloat32;
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: input 2 (bias 'bias') has dtype float32, expected int32");
  s = Base(false);
  s.graph.tensors[3].dtype = DType::kInt16;
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: output 0 'output' has dtype int16, expected int8 (the input's)");
  s = Base(false);
  s.graph.tensors[2].shape = {5};
  s.graph.tensors[2].data.resize(20);
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: bias 'bias' has shape [5] (5 elements), expected 4 elements");
}

TEST(Conv2DCheck, ChannelRelations) {
  ConvSetup s = Base(true);  // input [1,5,5,2], filter [1,3,3,2]
  s.graph.tensors[1].shape = {1, 3, 3, 3};
  EXPECT_EQ(CheckMessage(s),
            "operator #7 DEPTHWISE_CONV_2D: filter 'filter' has 3 channels, expected a multiple "
            "of the input's 2 channels");
  s = Base(true);
  s.graph.tensors[1].shape = {2, 3, 3, 1};
  EXPECT_EQ(CheckMessage(s),
            "operator #7 DEPTHWISE_CONV_2D: filter 'filter' has shape [2,3,3,1], expected "
            "[1,KH,KW,C*M]");
  s = Base(false);  // input [1,5,5,3], filter [4,3,3,3]
  s.graph.tensors[1].shape = {4, 3, 3, 2};
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: input 'input' has 3 channels, expected a multiple of the "
            "filter's depth 2");
}

TEST(Conv2DCheck, Attributes) {
  ConvSetup s = Base(false);
  s.graph.nodes[0].attrs.set("stride_h", int64_t{0});
  EXPECT_EQ(CheckMessage(s), "operator #7 CONV_2D: attribute stride_h is 0, expected 1 to 65536");
  s = Base(false);
  s.graph.nodes[0].attrs.set("padding", std::string("FULL"));
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: attribute padding is 'FULL', expected SAME or VALID");
  s = Base(false);
  s.graph.nodes[0].attrs.set("activation", std::string("TANH"));
  EXPECT_EQ(CheckMessage(s), "operator #7 CONV_2D: fused activation TANH is not supported");
  s = Base(false);  // 5x5 input; a 3x3 filter dilated by 3 spans 7
  s.graph.nodes[0].attrs.set("padding", std::string("VALID"));
  s.graph.nodes[0].attrs.set("dilation_h", int64_t{3});
  EXPECT_EQ(CheckMessage(s),
            "operator #7 CONV_2D: the dilated 7x3 filter does not fit the 5x5 input with VALID "
            "padding");
}

TEST(Conv2DCheck, Arity) {
  ConvSetup s = Base(false);
  s.graph.nodes[0].inputs.push_back(0);
  EXPECT_EQ(CheckMessage(s), "operator #7 CONV_2D: expected 2 to 3 inputs, got 4");
}

// --- Lower: computed parameters ---------------------------------------------

/// A 1-node int8 CONV_2D graph with exactly representable scales.
ConvSetup SmallConv(std::vector<float> filter_scales, int32_t out_c, int32_t in_h, int32_t kh,
                    const std::string& padding, int32_t stride, int32_t dilation,
                    const std::string& activation) {
  ConvSetup s;
  const int32_t out_h = OutSize(padding, in_h, kh, stride, dilation);
  Node node;
  node.index = 3;
  node.op = OpKind::kConv2D;
  node.inputs.push_back(
      AddTensor(s.graph, "input", DType::kInt8, {1, in_h, in_h, 1}, Quant({0.5f}, -3)));
  node.inputs.push_back(AddTensor(s.graph, "filter", DType::kInt8, {out_c, kh, kh, 1},
                                  Quant(filter_scales, 0),
                                  std::vector<uint8_t>(size_t(out_c * kh * kh), 1)));
  node.outputs.push_back(
      AddTensor(s.graph, "output", DType::kInt8, {1, out_h, out_h, out_c}, Quant({0.0625f}, -128)));
  node.attrs.set("padding", padding);
  node.attrs.set("stride_h", int64_t{stride});
  node.attrs.set("stride_w", int64_t{stride});
  node.attrs.set("dilation_h", int64_t{dilation});
  node.attrs.set("dilation_w", int64_t{dilation});
  node.attrs.set("activation", activation);
  s.graph.nodes.push_back(node);
  return s;
}

TEST(Conv2DLower, PerChannelMultipliersAndOffsets) {
  // 0.5 * {0.25, 0.125, 0, 1.5} / 0.0625 = {2, 1, 0, 12}:
  // 2 = 0.5 * 2^2, 1 = 0.5 * 2^1, 0 -> (0, 0), 12 = 0.75 * 2^4.
  ConvSetup s = SmallConv({0.25f, 0.125f, 0.0f, 1.5f}, 4, 4, 1, "VALID", 1, 1, "RELU6");
  ASSERT_EQ(StatusText(CheckConv2D(s.graph, s.graph.nodes[0])), "ok");
  RecordingLoweringContext ctx(s.graph);
  ASSERT_TRUE(LowerConv2DInt8(s.graph.nodes[0], ctx).ok());
  LoweredParams lp(ctx);
  const int32_t* mult = lp.Array("output_multiplier");
  const int32_t* shift = lp.Array("output_shift");
  EXPECT_EQ(std::vector<int32_t>(mult, mult + 4),
            (std::vector<int32_t>{1 << 30, 1 << 30, 0, 1610612736}));
  EXPECT_EQ(std::vector<int32_t>(shift, shift + 4), (std::vector<int32_t>{2, 1, 0, 4}));
  EXPECT_EQ(lp.Int("input_offset"), 3);
  EXPECT_EQ(lp.Int("output_offset"), -128);
  // RELU6 on scale 1/16, zero point -128: [-128 + 0, -128 + 96].
  EXPECT_EQ(lp.Int("act_min"), -128);
  EXPECT_EQ(lp.Int("act_max"), -32);
  EXPECT_EQ(ctx.statements[0], "kiln_conv2d_s8(&conv_params_2, t0, t1, NULL, t2);");
}

TEST(Conv2DLower, PerTensorScaleIsBroadcast) {
  ConvSetup s = SmallConv({0.25f}, 3, 4, 1, "VALID", 1, 1, "NONE");
  RecordingLoweringContext ctx(s.graph);
  ASSERT_TRUE(LowerConv2DInt8(s.graph.nodes[0], ctx).ok());
  LoweredParams lp(ctx);
  const int32_t* shift = lp.Array("output_shift");
  EXPECT_EQ(std::vector<int32_t>(shift, shift + 3), (std::vector<int32_t>{2, 2, 2}));
  EXPECT_EQ(lp.Int("act_min"), -128);
  EXPECT_EQ(lp.Int("act_max"), 127);
}

TEST(Conv2DLower, PaddingFollowsTflite) {
  struct Row {
    int32_t in, k, stride, dilation;
    const char* padding;
    int32_t out, pad;
  };
  const Row rows[] = {
      {5, 4, 1, 1, "SAME", 5, 1},   // total 3: 1 before, 2 after
      {7, 2, 2, 1, "SAME", 4, 0},   // total 1: all after
      {5, 3, 1, 2, "SAME", 5, 2},   // dilated span 5: total 4
      {6, 3, 2, 1, "SAME", 3, 0},   // total 1
      {8, 3, 2, 1, "SAME", 4, 0},   // total 1
      {9, 5, 2, 1, "SAME", 5, 2},   // total 4
      {7, 3, 2, 2, "VALID", 2, 0},  // span 5: (7 - 5) / 2 + 1
  };
  for (const Row& r : rows) {
    ConvSetup s = SmallConv({0.25f}, 1, r.in, r.k, r.padding, r.stride, r.dilation, "NONE");
    ASSERT_EQ(s.graph.tensors[2].shape[1], r.out);
    ASSERT_EQ(StatusText(CheckConv2D(s.graph, s.graph.nodes[0])), "ok");
    RecordingLoweringContext ctx(s.graph);
    ASSERT_TRUE(LowerConv2DInt8(s.graph.nodes[0], ctx).ok());
    LoweredParams lp(ctx);
    EXPECT_EQ(lp.Int("pad_h"), r.pad) << r.in << " " << r.k << " " << r.padding;
    EXPECT_EQ(lp.Int("pad_w"), r.pad);
    EXPECT_EQ(lp.Int("output_h"), r.out);
  }
}

TEST(Conv2DLower, FloatActivationLiterals) {
  for (const auto& [activation, lo, hi] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"NONE", "-3.40282347e+38f", "3.40282347e+38f"},
           {"RELU", "0.0f", "3.40282347e+38f"},
           {"RELU6", "0.0f", "6.0f"},
           {"RELU_N1_TO_1", "-1.0f", "1.0f"}}) {
    Graph g;
    Node node;
    node.op = OpKind::kDepthwiseConv2D;
    node.inputs = {
        AddTensor(g, "in", DType::kFloat32, {1, 2, 2, 1}),
        AddTensor(g, "f", DType::kFloat32, {1, 1, 1, 1}, {}, Bytes(std::vector<float>{1})),
        kNoTensor};
    node.outputs = {AddTensor(g, "out", DType::kFloat32, {1, 2, 2, 1})};
    node.attrs.set("padding", std::string("SAME"));
    node.attrs.set("activation", activation);
    g.nodes.push_back(node);
    ASSERT_EQ(StatusText(CheckDepthwiseConv2D(g, g.nodes[0])), "ok");
    RecordingLoweringContext ctx(g);
    ASSERT_TRUE(LowerDepthwiseConv2DFloat32(g.nodes[0], ctx).ok());
    LoweredParams lp(ctx);
    EXPECT_EQ(lp.Raw("act_min"), lo);
    EXPECT_EQ(lp.Raw("act_max"), hi);
    EXPECT_EQ(lp.Int("depth_multiplier"), 1);
    EXPECT_EQ(ctx.statements[0], "kiln_depthwise_conv2d_f32(&dwconv_params_0, t0, t1, NULL, t2);");
  }
}

}  // namespace
}  // namespace kiln::test
