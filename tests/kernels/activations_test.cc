// Tests of RELU, RELU6, LEAKY_RELU and HARD_SWISH: int8 kernels over every
// int8 input against elementwise_reference.py (through Check and Lower),
// hand-computed cases, the float kernels, and Check's diagnostics.
#include <cmath>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kiln/kernels/hard_swish_f32.h"
#include "kiln/kernels/hard_swish_s8.h"
#include "kiln/kernels/elu_f32.h"
#include "kiln/kernels/leaky_relu_f32.h"
#include "kiln/kernels/leaky_relu_s8.h"
#include "kiln/kernels/relu_f32.h"
#include "kiln/kernels/relu_s8.h"

namespace kiln::test::elem {
namespace {

/// A graph with one unary node: in -> out, both of `shape`.
struct UnaryGraph {
  Graph graph;

  UnaryGraph(OpKind op, const char* name, DType dtype, Shape shape, float si = 0, int32_t zi = 0,
             float so = 0, int32_t zo = 0) {
    const int in = AddTensor(graph, "in", dtype, shape, si, zi);
    const int out = AddTensor(graph, "out", dtype, shape, so, zo);
    AddNode(graph, op, name, {in}, {out});
  }
  Node& n() { return graph.nodes[0]; }
};

std::vector<int8_t> AllInt8() {
  std::vector<int8_t> v;
  for (int i = -128; i <= 127; ++i) v.push_back(static_cast<int8_t>(i));
  return v;
}

int32_t I(const std::map<std::string, std::string>& p, const char* key) {
  return static_cast<int32_t>(ParseInt(p.at(key)));
}

kiln_relu_s8_params_t ReadRelu(const std::map<std::string, std::string>& p) {
  kiln_relu_s8_params_t r{};
  r.count = I(p, "count");
  r.requantize = I(p, "requantize");
  r.input_zero_point = I(p, "input_zero_point");
  r.output_zero_point = I(p, "output_zero_point");
  r.multiplier = I(p, "multiplier");
  r.shift = I(p, "shift");
  r.activation_min = I(p, "activation_min");
  r.activation_max = I(p, "activation_max");
  return r;
}

// --- RELU / RELU6 ---------------------------------------------------------------

TEST(ActivationsRelu, Int8GoldenThroughLowering) {
  for (const ReluCase& c : kReluCases) {
    SCOPED_TRACE(c.name);
    UnaryGraph g(OpKind::kRelu, "RELU", DType::kInt8, {1, 256}, c.scale_in, c.zp_in, c.scale_out,
                 c.zp_out);
    RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{"relu_s8"});
    ASSERT_EQ(ctx.declarations.size(), 1u);
    EXPECT_EQ(ctx.statements.at(0), "kiln_relu_s8(&relu_s8_params_0, t0, t1);");
    const auto p = ParseParams(ctx.declarations[0]);
    EXPECT_EQ(I(p, "multiplier"), c.multiplier);
    EXPECT_EQ(I(p, "shift"), c.shift);
    EXPECT_EQ(I(p, "activation_min"), c.act_min);
    EXPECT_EQ(I(p, "activation_max"), 127);
    const kiln_relu_s8_params_t params = ReadRelu(p);
    const std::vector<int8_t> in = AllInt8();
    std::vector<int8_t> out(256);
    kiln_relu_s8(&params, in.data(), out.data());
    EXPECT_EQ(Widen(out), c.expected);
  }
}

TEST(ActivationsRelu, Relu6Int8ClampsOnInputScale) {
  // TFLM's Relu6Prepare: zero = input zp = -10, six = round(6 / 0.05) - 10 =
  // 110; the output quantization is not used (no requantization).
  UnaryGraph g(OpKind::kRelu6, "RELU6", DType::kInt8, {4}, 0.05f, -10, 0.1f, 7);
  const auto p = ParseParams(CheckAndLower(g.graph, g.n()).declarations.at(0));
  EXPECT_EQ(p.at("requantize"), "0");
  EXPECT_EQ(p.at("activation_min"), "-10");
  EXPECT_EQ(p.at("activation_max"), "110");
  const kiln_relu_s8_params_t params = ReadRelu(p);
  const int8_t in[4] = {-128, -10, 50, 127};
  int8_t out[4];
  kiln_relu_s8(&params, in, out);
  EXPECT_EQ(Widen(std::vector<int8_t>(out, out + 4)), (std::vector<int32_t>{-10, -10, 50, 110}));
}

TEST(ActivationsRelu, Relu6Int8SixSaturatesAt127) {
  // round(6 / 0.01) + 0 = 600 -> clamped to 127.
  UnaryGraph g(OpKind::kRelu6, "RELU6", DType::kInt8, {1}, 0.01f, 0, 0.01f, 0);
  const auto p = ParseParams(CheckAndLower(g.graph, g.n()).declarations.at(0));
  EXPECT_EQ(p.at("activation_min"), "0");
  EXPECT_EQ(p.at("activation_max"), "127");
}

TEST(ActivationsRelu, Float) {
  const float in[6] = {-3.0f, -0.0f, 0.5f, 5.99f, 6.5f, INFINITY};
  float out[6];
  const kiln_relu_f32_params_t relu{6, 0};
  kiln_relu_f32(&relu, in, out);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[2], 0.5f);
  EXPECT_EQ(out[4], 6.5f);
  EXPECT_EQ(out[5], INFINITY);
  const kiln_relu_f32_params_t relu6{6, 1};
  kiln_relu_f32(&relu6, in, out);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[3], 5.99f);
  EXPECT_EQ(out[4], 6.0f);
  EXPECT_EQ(out[5], 6.0f);
  const float nan = NAN;
  kiln_relu_f32(&relu6, &nan, out);
  EXPECT_TRUE(std::isnan(out[0]));

  UnaryGraph g(OpKind::kRelu6, "RELU6", DType::kFloat32, {2, 3});
  RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{"relu_f32"});
  const auto p = ParseParams(ctx.declarations.at(0));
  EXPECT_EQ(p.at("count"), "6");
  EXPECT_EQ(p.at("relu6"), "1");
}

// --- ELU (float32, with ONNX's alpha and scale) ----------------------------------

TEST(ActivationsElu, FloatWithAlphaAndScale) {
  const float in[5] = {-3.0f, -0.5f, -0.0f, 0.75f, 4.0f};
  float out[5];
  // TFLite's ELU: alpha and scale 1, exactly expm1f below zero.
  const kiln_elu_f32_params_t elu{5, 1.0f, 1.0f};
  kiln_elu_f32(&elu, in, out);
  EXPECT_EQ(out[0], std::expm1(-3.0f));
  EXPECT_EQ(out[1], std::expm1(-0.5f));
  EXPECT_EQ(out[3], 0.75f);
  EXPECT_EQ(out[4], 4.0f);
  // ONNX's Selu defaults: scale * (alpha * (e^x - 1)) below zero, scale * x above.
  const float alpha = 1.67326319217681884765625f, gamma = 1.05070102214813232421875f;
  const kiln_elu_f32_params_t selu{5, alpha, gamma};
  kiln_elu_f32(&selu, in, out);
  for (int i = 0; i < 5; ++i) {
    const double x = in[i];
    const double expected = x < 0 ? gamma * (alpha * std::expm1(x)) : gamma * x;
    EXPECT_NEAR(out[i], expected, 2e-7 * std::fabs(expected)) << x;
  }

  UnaryGraph g(OpKind::kElu, "ELU", DType::kFloat32, {5});
  g.n().attrs.set("alpha", 2.0);
  g.n().attrs.set("scale", 0.5);
  RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{"elu_f32"});
  const auto p = ParseParams(ctx.declarations.at(0));
  EXPECT_EQ(p.at("size"), "5");
  EXPECT_EQ(ParseFloat(p.at("alpha")), 2.0f);
  EXPECT_EQ(ParseFloat(p.at("scale")), 0.5f);

  // int8 ELU is TFLite's table, with no alpha.
  UnaryGraph q(OpKind::kElu, "ELU", DType::kInt8, {4}, 0.1f, 0, 0.1f, 0);
  q.n().attrs.set("alpha", 2.0);
  EXPECT_EQ(CheckError(q.graph, q.n()), "operator #0 ELU: int8 ELU takes no alpha (only 1, TFLite's ELU); alpha is 2");
}

TEST(ActivationsRelu, CheckErrors) {
  UnaryGraph shape(OpKind::kRelu, "RELU", DType::kInt8, {4}, 0.1f, 0, 0.1f, 0);
  shape.graph.tensors[1].shape = {2, 2};
  EXPECT_EQ(CheckError(shape.graph, shape.n()),
            "operator #0 RELU: output 0 'out' has shape [2,2], expected [4]");
  UnaryGraph noq(OpKind::kRelu, "RELU", DType::kInt8, {4}, 0.1f, 0);
  EXPECT_EQ(CheckError(noq.graph, noq.n()),
            "operator #0 RELU: output 'out' needs per-tensor quantization with a positive scale");
  UnaryGraph dtype(OpKind::kRelu6, "RELU6", DType::kInt8, {4}, 0.1f, 0, 0.1f, 0);
  dtype.graph.tensors[1].dtype = DType::kInt16;
  EXPECT_EQ(CheckError(dtype.graph, dtype.n()),
            "operator #0 RELU6: output 0 'out' has dtype int16, expected int8");
}

// --- LEAKY_RELU -------------------------------------------------------------------

TEST(ActivationsLeakyRelu, Int8GoldenThroughLowering) {
  for (const LeakyReluCase& c : kLeakyReluCases) {
    SCOPED_TRACE(c.name);
    UnaryGraph g(OpKind::kLeakyRelu, "LEAKY_RELU", DType::kInt8, {2, 128}, c.scale_in, c.zp_in,
                 c.scale_out, c.zp_out);
    g.n().attrs.set("alpha", static_cast<double>(c.alpha));
    RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{"leaky_relu_s8"});
    const auto p = ParseParams(ctx.declarations.at(0));
    EXPECT_EQ(I(p, "identity_multiplier"), c.identity_multiplier);
    EXPECT_EQ(I(p, "identity_shift"), c.identity_shift);
    EXPECT_EQ(I(p, "alpha_multiplier"), c.alpha_multiplier);
    EXPECT_EQ(I(p, "alpha_shift"), c.alpha_shift);
    kiln_leaky_relu_s8_params_t params{};
    params.count = I(p, "count");
    params.input_zero_point = I(p, "input_zero_point");
    params.output_zero_point = I(p, "output_zero_point");
    params.identity_multiplier = I(p, "identity_multiplier");
    params.identity_shift = I(p, "identity_shift");
    params.alpha_multiplier = I(p, "alpha_multiplier");
    params.alpha_shift = I(p, "alpha_shift");
    ASSERT_EQ(params.count, 256);
    const std::vector<int8_t> in = AllInt8();
    std::vector<int8_t> out(256);
    kiln_leaky_relu_s8(&params, in.data(), out.data());
    EXPECT_EQ(Widen(out), c.expected);
  }
}

TEST(ActivationsLeakyRelu, HandComputed) {
  // Equal scales, zero points 0, alpha 0.5: identity multiplier 1.0 =
  // 2^30 * 2^(1-31), alpha multiplier 0.5 = 2^30 * 2^(0-31).
  // -7 * 0.5 = -3.5 is a tie inside the rounding doubling high-mul, which
  // rounds ties toward +infinity: -3 (there is no right shift). 9 stays 9.
  UnaryGraph g(OpKind::kLeakyRelu, "LEAKY_RELU", DType::kInt8, {3}, 0.1f, 0, 0.1f, 0);
  g.n().attrs.set("alpha", 0.5);
  const auto p = ParseParams(CheckAndLower(g.graph, g.n()).declarations.at(0));
  EXPECT_EQ(p.at("identity_multiplier"), "1073741824");
  EXPECT_EQ(p.at("identity_shift"), "1");
  EXPECT_EQ(p.at("alpha_multiplier"), "1073741824");
  EXPECT_EQ(p.at("alpha_shift"), "0");
  const kiln_leaky_relu_s8_params_t params{3, 0, 0, 1073741824, 1, 1073741824, 0};
  const int8_t in[3] = {-7, 9, -128};
  int8_t out[3];
  kiln_leaky_relu_s8(&params, in, out);
  EXPECT_EQ(out[0], -3);
  EXPECT_EQ(out[1], 9);
  EXPECT_EQ(out[2], -64);
}

TEST(ActivationsLeakyRelu, Float) {
  UnaryGraph g(OpKind::kLeakyRelu, "LEAKY_RELU", DType::kFloat32, {4});
  g.n().attrs.set("alpha", 0.2);  // the float nearest 0.2, as the flatbuffer holds it
  const auto p = ParseParams(CheckAndLower(g.graph, g.n()).declarations.at(0));
  const kiln_leaky_relu_f32_params_t params{4, ParseFloat(p.at("alpha"))};
  EXPECT_EQ(params.alpha, 0.2f);
  const float in[4] = {-5.0f, 0.0f, 3.0f, -0.5f};
  float out[4];
  kiln_leaky_relu_f32(&params, in, out);
  EXPECT_EQ(out[0], -5.0f * 0.2f);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_EQ(out[2], 3.0f);
  EXPECT_EQ(out[3], -0.5f * 0.2f);
}

// --- HARD_SWISH -------------------------------------------------------------------

TEST(ActivationsHardSwish, Int8GoldenThroughLowering) {
  for (const HardSwishCase& c : kHardSwishCases) {
    SCOPED_TRACE(c.name);
    UnaryGraph g(OpKind::kHardSwish, "HARD_SWISH", DType::kInt8, {1, 16, 16}, c.scale_in, c.zp_in,
                 c.scale_out, c.zp_out);
    RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{"hard_swish_s8"});
    const auto p = ParseParams(ctx.declarations.at(0));
    EXPECT_EQ(I(p, "output_multiplier"), c.output_multiplier);
    EXPECT_EQ(I(p, "output_exponent"), c.output_exponent);
    EXPECT_EQ(I(p, "reluish_multiplier"), c.reluish_multiplier);
    EXPECT_EQ(I(p, "reluish_exponent"), c.reluish_exponent);
    kiln_hard_swish_s8_params_t params{};
    params.count = I(p, "count");
    params.input_zero_point = I(p, "input_zero_point");
    params.output_zero_point = I(p, "output_zero_point");
    params.output_multiplier = I(p, "output_multiplier");
    params.output_exponent = I(p, "output_exponent");
    params.reluish_multiplier = I(p, "reluish_multiplier");
    params.reluish_exponent = I(p, "reluish_exponent");
    ASSERT_EQ(params.count, 256);
    const std::vector<int8_t> in = AllInt8();
    std::vector<int8_t> out(256);
    kiln_hard_swish_s8(&params, in.data(), out.data());
    EXPECT_EQ(Widen(out), c.expected);
  }
}

TEST(ActivationsHardSwish, Int8HandComputedZero) {
  // x = zero point means real 0, and hard_swish(0) = 0: the output is the
  // output zero point whatever the multipliers (every product is 0 and the
  // final shift has exponent < 16).
  const kiln_hard_swish_s8_params_t params{2, 5, -7, 27307, -6, 17476, 3};
  const int8_t in[2] = {5, 5};
  int8_t out[2];
  kiln_hard_swish_s8(&params, in, out);
  EXPECT_EQ(out[0], -7);
  EXPECT_EQ(out[1], -7);
}

TEST(ActivationsHardSwish, PrepareRejectsPositiveOutputExponent) {
  // input_scale / (128 * output_scale) = 1.0 / (128 * 0.001) = 7.8 > 1.
  UnaryGraph g(OpKind::kHardSwish, "HARD_SWISH", DType::kInt8, {4}, 1.0f, 0, 0.001f, 0);
  const std::string error = CheckError(g.graph, g.n());
  EXPECT_NE(error.find("operator #0 HARD_SWISH: input_scale / (128 * output_scale)"),
            std::string::npos)
      << error;
}

TEST(ActivationsHardSwish, Float) {
  const float in[6] = {-4.0f, -3.0f, -1.5f, 0.0f, 1.0f, 4.0f};
  float out[6];
  const kiln_hard_swish_f32_params_t params{6};
  kiln_hard_swish_f32(&params, in, out);
  EXPECT_EQ(out[0], -0.0f);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_EQ(out[2], -1.5f * 1.5f / 6.0f);
  EXPECT_EQ(out[3], 0.0f);
  EXPECT_EQ(out[4], 1.0f * 4.0f / 6.0f);
  EXPECT_EQ(out[5], 4.0f * 6.0f / 6.0f);
  UnaryGraph g(OpKind::kHardSwish, "HARD_SWISH", DType::kFloat32, {6});
  RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"hard_swish_f32"});
  EXPECT_EQ(ctx.statements.at(0), "kiln_hard_swish_f32(&hard_swish_f32_params_0, t0, t1);");
}

TEST(ActivationsEmittedC, CompilesAsStrictC99) {
  Graph g;
  const int i8 = AddTensor(g, "i8", DType::kInt8, {2, 3}, 0.05f, -10);
  const int f = AddTensor(g, "f", DType::kFloat32, {2, 3});
  struct Op {
    OpKind kind;
    const char* name;
  };
  for (Op op : {Op{OpKind::kRelu, "RELU"}, Op{OpKind::kRelu6, "RELU6"},
                Op{OpKind::kLeakyRelu, "LEAKY_RELU"}, Op{OpKind::kHardSwish, "HARD_SWISH"}}) {
    const int o8 = AddTensor(g, "o8", DType::kInt8, {2, 3}, 0.04f, -128);
    AddNode(g, op.kind, op.name, {i8}, {o8}).attrs.set("alpha", 0.1);
    const int of = AddTensor(g, "of", DType::kFloat32, {2, 3});
    AddNode(g, op.kind, op.name, {f}, {of}).attrs.set("alpha", 0.1);
  }
  EXPECT_EQ(CompileLoweredAsC99(g), "");
}

}  // namespace
}  // namespace kiln::test::elem
