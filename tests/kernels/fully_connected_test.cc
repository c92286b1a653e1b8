// Tests of FULLY_CONNECTED: the runtime kernels against hand-worked cases and
// golden outputs of an independent model of TFLite's reference kernels
// (conv_golden.py), run with the parameters Lower computed; Check's
// diagnostics (the keep_num_dims shape rule); Lower's multipliers.
#include <gtest/gtest.h>

#include "kernels/conv_test_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/recording_lowering_context.h"
#include "kiln/kernels/fully_connected_f32.h"
#include "kiln/kernels/fully_connected_s8.h"

namespace kiln::test {
namespace {

struct FcSetup {
  Graph graph;
  std::vector<int8_t> input_q, weights_q;
  std::vector<int32_t> bias_q;
  std::vector<float> input_f, weights_f, bias_f;
};

FcSetup BuildFc(const FcCase& c) {
  FcSetup s;
  Lcg lcg(c.seed);
  int64_t count = 1;
  for (int32_t d : c.input_shape) count *= d;
  for (int64_t i = 0; i < count; ++i) {
    if (c.quantized)
      s.input_q.push_back(lcg.I8());
    else
      s.input_f.push_back(lcg.F());
  }
  for (int32_t i = 0; i < c.out_depth * c.accum_depth; ++i) {
    if (c.quantized)
      s.weights_q.push_back(lcg.I8());
    else
      s.weights_f.push_back(lcg.F());
  }
  if (c.has_bias) {
    for (int32_t i = 0; i < c.out_depth; ++i) {
      if (c.quantized)
        s.bias_q.push_back(lcg.Bias());
      else
        s.bias_f.push_back(lcg.F());
    }
  }
  const DType dt = c.quantized ? DType::kInt8 : DType::kFloat32;
  Shape out_shape;
  if (c.keep_num_dims) {
    out_shape = c.input_shape;
    out_shape.back() = c.out_depth;
  } else {
    out_shape = {static_cast<int32_t>(count / c.accum_depth), c.out_depth};
  }
  Quantization in_q, w_q, b_q, out_q;
  if (c.quantized) {
    in_q = Quant({c.input_scale}, c.input_zp);
    w_q = Quant(c.weights_scales, c.weights_zp, 0);
    b_q = Quant({c.input_scale * c.weights_scales[0]}, 0);
    out_q = Quant({c.output_scale}, c.output_zp);
  }
  Node node;
  node.index = 2;
  node.op = OpKind::kFullyConnected;
  node.inputs.push_back(AddTensor(s.graph, "input", dt, c.input_shape, in_q));
  node.inputs.push_back(AddTensor(s.graph, "weights", dt, {c.out_depth, c.accum_depth}, w_q,
                                  c.quantized ? Bytes(s.weights_q) : Bytes(s.weights_f)));
  if (c.has_bias)
    node.inputs.push_back(AddTensor(s.graph, "bias", c.quantized ? DType::kInt32 : dt,
                                    {c.out_depth}, b_q,
                                    c.quantized ? Bytes(s.bias_q) : Bytes(s.bias_f)));
  node.outputs.push_back(AddTensor(s.graph, "output", dt, out_shape, out_q));
  node.attrs.set("activation", std::string(c.activation));
  node.attrs.set("keep_num_dims", int64_t{c.keep_num_dims});
  s.graph.nodes.push_back(node);
  return s;
}

class FcGolden : public ::testing::TestWithParam<FcCase> {};

TEST_P(FcGolden, LoweredKernelMatchesReference) {
  const FcCase& c = GetParam();
  FcSetup s = BuildFc(c);
  const Node& node = s.graph.nodes[0];
  const KernelEntry* entry = FindKernel(s.graph, node);
  ASSERT_NE(entry, nullptr);
  ASSERT_EQ(StatusText(entry->check(s.graph, node)), "ok");
  RecordingLoweringContext ctx(s.graph);
  ASSERT_EQ(StatusText(entry->lower(node, ctx)), "ok");
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{std::string(entry->variant)});
  ASSERT_EQ(ctx.statements.size(), 1u);
  LoweredParams lp(ctx);
  const size_t out_count = static_cast<size_t>(s.graph.tensors[node.outputs[0]].num_elements());
  if (c.quantized) {
    ASSERT_EQ(c.expected_q.size(), out_count);
    kiln_fully_connected_s8_params_t p{};
    p.batches = lp.Int("batches");
    p.accum_depth = lp.Int("accum_depth");
    p.output_depth = lp.Int("output_depth");
    p.input_offset = lp.Int("input_offset");
    p.filter_offset = lp.Int("filter_offset");
    p.output_offset = lp.Int("output_offset");
    p.act_min = lp.Int("act_min");
    p.act_max = lp.Int("act_max");
    p.output_multiplier = lp.Int("output_multiplier");
    p.output_shift = lp.Int("output_shift");
    p.output_multipliers = lp.Array("output_multipliers");
    p.output_shifts = lp.Array("output_shifts");
    EXPECT_TRUE(lp.AllUsed());
    EXPECT_EQ(p.output_multipliers != nullptr, c.weights_scales.size() > 1);
    std::vector<int8_t> out(out_count, 0x55);
    kiln_fully_connected_s8(&p, s.input_q.data(), s.weights_q.data(),
                            c.has_bias ? s.bias_q.data() : nullptr, out.data());
    for (size_t i = 0; i < out_count; ++i)
      EXPECT_EQ(out[i], c.expected_q[i]) << "output element " << i;
  } else {
    ASSERT_EQ(c.expected_f.size(), out_count);
    kiln_fully_connected_f32_params_t p{};
    p.batches = lp.Int("batches");
    p.accum_depth = lp.Int("accum_depth");
    p.output_depth = lp.Int("output_depth");
    p.act_min = lp.Float("act_min");
    p.act_max = lp.Float("act_max");
    EXPECT_TRUE(lp.AllUsed());
    std::vector<float> out(out_count, -7.0f);
    kiln_fully_connected_f32(&p, s.input_f.data(), s.weights_f.data(),
                             c.has_bias ? s.bias_f.data() : nullptr, out.data());
    for (size_t i = 0; i < out_count; ++i)
      EXPECT_NEAR(out[i], c.expected_f[i], 1e-5) << "output element " << i;
  }
}

TEST_P(FcGolden, LoweredCCompiles) {
  const FcCase& c = GetParam();
  FcSetup s = BuildFc(c);
  RecordingLoweringContext ctx(s.graph);
  ASSERT_TRUE(FindKernel(s.graph, s.graph.nodes[0])->lower(s.graph.nodes[0], ctx).ok());
  const std::string t = c.quantized ? "int8_t" : "float";
  const std::string b = c.quantized ? "int32_t" : "float";
  std::string sig = "const " + t + "* t0, const " + t + "* t1, ";
  sig += c.has_bias ? "const " + b + "* t2, " + t + "* t3" : t + "* t2";
  EXPECT_EQ(CompileLowered(ctx, sig), "");
}

INSTANTIATE_TEST_SUITE_P(Cases, FcGolden, ::testing::ValuesIn(kFcCases),
                         [](const auto& info) { return std::string(info.param.name); });

// --- Hand-worked kernel cases ----------------------------------------------

TEST(FullyConnectedS8Kernel, PerTensorOffsetsAndBias) {
  // Input zero point 1, weights zero point -3 (offsets -1 and +3):
  // row {3, -1} -> {2, -2}; weights {2, 5} -> {5, 8}: 10 - 16 + bias 4 = -2.
  // Scale 1 = 0.5 * 2^1 (2^30, shift 1); output zero point 5 -> 3.
  const int8_t input[2] = {3, -1};
  const int8_t weights[2] = {2, 5};
  const int32_t bias[1] = {4};
  kiln_fully_connected_s8_params_t p{};
  p.batches = 1;
  p.accum_depth = 2;
  p.output_depth = 1;
  p.input_offset = -1;
  p.filter_offset = 3;
  p.output_offset = 5;
  p.act_min = -128;
  p.act_max = 127;
  p.output_multiplier = 1 << 30;
  p.output_shift = 1;
  int8_t out[1];
  kiln_fully_connected_s8(&p, input, weights, bias, out);
  EXPECT_EQ(out[0], 3);
}

TEST(FullyConnectedS8Kernel, PerChannelMultipliersAndBatches) {
  // Two rows, two outputs; output 0 scaled by 0.5 (shift 0), output 1 by
  // 0.25 (shift -1). Row 0 sums: 1+2+3 = 6, 1-2+3 = 2; row 1: -6, -2.
  // 6*0.5 = 3; 2*0.25 = 0.5 -> 1 (away from zero); -6*0.5 = -3;
  // -2*0.25 = -0.5 -> high-mul gives -1 exactly, then /2 ties away -> -1.
  const int8_t input[6] = {1, 2, 3, -1, -2, -3};
  const int8_t weights[6] = {1, 1, 1, 1, -1, 1};
  const int32_t mult[2] = {1 << 30, 1 << 30}, shift[2] = {0, -1};
  kiln_fully_connected_s8_params_t p{};
  p.batches = 2;
  p.accum_depth = 3;
  p.output_depth = 2;
  p.act_min = -128;
  p.act_max = 127;
  p.output_multipliers = mult;
  p.output_shifts = shift;
  int8_t out[4];
  kiln_fully_connected_s8(&p, input, weights, nullptr, out);
  EXPECT_EQ(std::vector<int8_t>(out, out + 4), (std::vector<int8_t>{3, 1, -3, -1}));
}

TEST(FullyConnectedF32Kernel, HandWorked) {
  const float input[4] = {1.0f, 2.0f, -1.0f, 0.5f};
  const float weights[4] = {0.5f, -1.0f, 2.0f, 4.0f};
  const float bias[2] = {0.25f, -10.0f};
  kiln_fully_connected_f32_params_t p{};
  p.batches = 2;
  p.accum_depth = 2;
  p.output_depth = 2;
  p.act_min = -1.0f;
  p.act_max = 1.0f;
  float out[4];
  kiln_fully_connected_f32(&p, input, weights, bias, out);
  // Row 0: 0.5 - 2 + 0.25 = -1.25 -> -1; 2 + 8 - 10 = 0. Row 1: -0.5 - 0.5 + 0.25 = -0.75;
  // -2 + 2 - 10 -> -1.
  EXPECT_EQ(std::vector<float>(out, out + 4), (std::vector<float>{-1.0f, 0.0f, -0.75f, -1.0f}));
}

// --- Check diagnostics ------------------------------------------------------

FcSetup Base(bool per_channel) {
  for (const FcCase& c : kFcCases) {
    if (c.quantized && c.has_bias && (c.weights_scales.size() > 1) == per_channel)
      return BuildFc(c);
  }
  return {};
}

std::string CheckMessage(const FcSetup& s) {
  return StatusText(CheckFullyConnected(s.graph, s.graph.nodes[0]));
}

TEST(FullyConnectedCheck, ShapeRule) {
  FcSetup s = Base(false);  // input [2,5], weights [3,5] -> [2,3]
  EXPECT_EQ(CheckMessage(s), "ok");
  s.graph.tensors[3].shape = {1, 2, 3};
  EXPECT_EQ(CheckMessage(s),
            "operator #2 FULLY_CONNECTED: output 0 'output' has shape [1,2,3], expected [2,3]");
  s = Base(false);
  s.graph.tensors[0].shape = {3, 3};
  EXPECT_EQ(CheckMessage(s),
            "operator #2 FULLY_CONNECTED: input 'input' has shape [3,3] (9 elements), not a "
            "whole number of rows of 5 (the weights' depth)");
  s = Base(false);
  s.graph.tensors[0].shape = {1, 10};
  s.graph.nodes[0].attrs.set("keep_num_dims", int64_t{1});
  EXPECT_EQ(CheckMessage(s),
            "operator #2 FULLY_CONNECTED: keep_num_dims needs input 'input' (shape [1,10]) to end "
            "in the weights' depth 5");
  s = Base(true);  // keep_num_dims: input [2,3,4] -> [2,3,5]
  EXPECT_EQ(CheckMessage(s), "ok");
  s.graph.tensors[3].shape = {6, 5};
  EXPECT_EQ(CheckMessage(s),
            "operator #2 FULLY_CONNECTED: output 0 'output' has shape [6,5], expected [2,3,5]");
  s = Base(false);
  s.graph.tensors[1].shape = {3, 5, 1};
  EXPECT_EQ(CheckMessage(s),
            "operator #2 FULLY_CONNECTED: weights 'weights' has shape [3,5,1], expected rank 2");
}

TEST(FullyConnectedCheck, Quantization) {
  FcSetup s = Base(true);
  s.graph.tensors[1].quant.zero_point[1] = 2;
  EXPECT_EQ(CheckMessage(s),
            "operator #2 FULLY_CONNECTED: weights 'weights' has zero point 2, expected 0 "
            "(symmetric int8 weights)");
  s = Base(true);
  s.graph.tensors[1].quant.axis = 1;
  EXPECT_EQ(CheckMessage(s),
            "operator #2 FULLY_CONNECTED: weights 'weights' is quantized along dimension 1, "
            "expected 0");
  s = Base(false);  // input 0.05, weights 0.004, output 0.1: product 2e-4
  s.graph.tensors[2].quant = Quant({0.01f}, 0);
  EXPECT_EQ(CheckMessage(s).substr(0, 73),
            "operator #2 FULLY_CONNECTED: bias 'bias' has scale 0.01, expected input s");
  s = Base(false);
  s.graph.tensors[3].quant = Quant({0.1f}, 200);
  EXPECT_EQ(
      CheckMessage(s),
      "operator #2 FULLY_CONNECTED: output 'output' has zero point 200, expected -128 to 127");
  s = Base(false);
  s.graph.tensors[2].dtype = DType::kInt8;
  EXPECT_EQ(CheckMessage(s),
            "operator #2 FULLY_CONNECTED: input 2 (bias 'bias') has dtype int8, expected int32");
}

// --- Lower: computed parameters ---------------------------------------------

FcSetup ScaleGraph(std::vector<float> weights_scales) {
  FcSetup s;
  const int32_t out = static_cast<int32_t>(weights_scales.size() > 1 ? weights_scales.size() : 2);
  Node node;
  node.op = OpKind::kFullyConnected;
  node.inputs = {AddTensor(s.graph, "in", DType::kInt8, {1, 4}, Quant({0.1f}, -128)),
                 AddTensor(s.graph, "w", DType::kInt8, {out, 4}, Quant(weights_scales, 0),
                           std::vector<uint8_t>(size_t(out * 4), 1))};
  node.outputs = {AddTensor(s.graph, "out", DType::kInt8, {1, out}, Quant({0.1f}, 3))};
  node.attrs.set("activation", std::string("RELU"));
  s.graph.nodes.push_back(node);
  return s;
}

TEST(FullyConnectedLower, PerTensorProductIsTakenInFloat) {
  // 0.1f * 0.3f rounded to float, then / 0.1f in double, gives 1288490221
  // (shift -1); the all-double product would give 1288490240.
  FcSetup s = ScaleGraph({0.3f});
  ASSERT_EQ(StatusText(CheckFullyConnected(s.graph, s.graph.nodes[0])), "ok");
  RecordingLoweringContext ctx(s.graph);
  ASSERT_TRUE(LowerFullyConnectedInt8(s.graph.nodes[0], ctx).ok());
  LoweredParams lp(ctx);
  EXPECT_EQ(lp.Int("output_multiplier"), 1288490221);
  EXPECT_EQ(lp.Int("output_shift"), -1);
  EXPECT_EQ(lp.Raw("output_multipliers"), "NULL");
  EXPECT_EQ(lp.Int("input_offset"), 128);
  EXPECT_EQ(lp.Int("act_min"), 3);  // RELU: the zero point
  EXPECT_EQ(lp.Int("act_max"), 127);
  EXPECT_EQ(ctx.statements[0], "kiln_fully_connected_s8(&fc_params_0, t0, t1, NULL, t2);");
}

TEST(FullyConnectedLower, PerChannelProductIsTakenInDouble) {
  FcSetup s = ScaleGraph({0.3f, 0.3f, 0.6f});
  ASSERT_EQ(StatusText(CheckFullyConnected(s.graph, s.graph.nodes[0])), "ok");
  RecordingLoweringContext ctx(s.graph);
  ASSERT_TRUE(LowerFullyConnectedInt8(s.graph.nodes[0], ctx).ok());
  LoweredParams lp(ctx);
  const int32_t* mult = lp.Array("output_multipliers");
  const int32_t* shift = lp.Array("output_shifts");
  EXPECT_EQ(std::vector<int32_t>(mult, mult + 3),
            (std::vector<int32_t>{1288490240, 1288490240, 1288490240}));
  EXPECT_EQ(std::vector<int32_t>(shift, shift + 3), (std::vector<int32_t>{-1, -1, 0}));
  EXPECT_EQ(lp.Int("filter_offset"), 0);
}

}  // namespace
}  // namespace kiln::test
