// The float32 kernels added for ONNX: div_f32, maximum_f32, minimum_f32
// (through the shared check/lowering, so the variant and the broadcast
// parameters are the ones the registry gives) and log_softmax_f32. Expected
// values are worked out by hand or in double precision with the textbook
// formula (no max subtraction), independently of the kernels' code.
#include <cfloat>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/psm_test_util.h"
#include "kiln/kernels/div_f32.h"
#include "kiln/kernels/log_softmax_f32.h"
#include "kiln/kernels/maximum_f32.h"
#include "kiln/kernels/minimum_f32.h"

namespace kiln::test::elem {
namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

/// Lowers a float32 binary node a[a_shape] op b[b_shape] and returns the
/// kernel variant it asked for and its broadcast/activation parameters.
struct Lowered {
  std::string variant;
  kiln_broadcast_t shape{};
  float lo = 0, hi = 0;
};

Lowered LowerBinary(OpKind op, Shape a, Shape b, Shape out, const std::string& activation = "NONE") {
  Graph g;
  const int ta = AddTensor(g, "a", DType::kFloat32, std::move(a), 0, 0);
  const int tb = AddTensor(g, "b", DType::kFloat32, std::move(b), 0, 0);
  const int to = AddTensor(g, "out", DType::kFloat32, std::move(out), 0, 0);
  AddNode(g, op, "OP", {ta, tb}, {to}).attrs.set("activation", activation);
  RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
  Lowered l;
  EXPECT_EQ(ctx.kernels.size(), 1u);
  EXPECT_EQ(ctx.declarations.size(), 1u);
  if (ctx.kernels.empty() || ctx.declarations.empty()) return l;
  l.variant = ctx.kernels[0];
  const auto p = ParseParams(ctx.declarations[0]);
  const std::vector<int64_t> dims = ParseIntArray(p.at("dims"));
  const std::vector<int64_t> as = ParseIntArray(p.at("a_strides"));
  const std::vector<int64_t> bs = ParseIntArray(p.at("b_strides"));
  for (size_t i = 0; i < 6; ++i) {
    l.shape.dims[i] = static_cast<int32_t>(dims.at(i));
    l.shape.a_strides[i] = static_cast<int32_t>(as.at(i));
    l.shape.b_strides[i] = static_cast<int32_t>(bs.at(i));
  }
  l.shape.count = static_cast<int32_t>(ParseInt(p.at("count")));
  l.shape.flat = static_cast<int32_t>(ParseInt(p.at("flat")));
  l.lo = ParseFloat(p.at("activation_min"));
  l.hi = ParseFloat(p.at("activation_max"));
  return l;
}

// x / 0 is +-inf in IEEE arithmetic; the fused-activation clamp of
// activation NONE is +-FLT_MAX (TFLite's numeric_limits lowest/max, see
// ElementwiseFloat.ReluClampsInfinityToFltMax), so it comes out as +-FLT_MAX.
// 0 / 0 stays NaN (the clamp passes NaN through).
TEST(DivF32, BroadcastsAColumnAndClampsDivisionByZero) {
  // a [2,3] / b [2,1]: each row divided by its own divisor.
  const Lowered l = LowerBinary(OpKind::kDiv, {2, 3}, {2, 1}, {2, 3});
  EXPECT_EQ(l.variant, "div_f32");
  EXPECT_EQ(l.shape.flat, 0);
  const float a[6] = {1.0f, -3.0f, 0.0f, 7.0f, -7.0f, 0.0f};
  const float b[2] = {4.0f, 0.0f};
  float out[6];
  const kiln_div_f32_params_t p{l.shape, l.lo, l.hi};
  kiln_div_f32(&p, a, b, out);
  EXPECT_EQ(out[0], 0.25f);
  EXPECT_EQ(out[1], -0.75f);
  EXPECT_EQ(out[2], 0.0f);
  EXPECT_EQ(out[3], FLT_MAX);   // 7 / 0
  EXPECT_EQ(out[4], -FLT_MAX);  // -7 / 0
  EXPECT_TRUE(std::isnan(out[5]));  // 0 / 0
}

TEST(DivF32, FusedReluSixClamps) {
  const Lowered l = LowerBinary(OpKind::kDiv, {4}, {4}, {4}, "RELU6");
  EXPECT_EQ(l.shape.flat, 1);
  EXPECT_EQ(l.lo, 0.0f);
  EXPECT_EQ(l.hi, 6.0f);
  const float a[4] = {10.0f, -10.0f, 9.0f, 1.0f};
  const float b[4] = {1.0f, 2.0f, 3.0f, 8.0f};
  float out[4];
  const kiln_div_f32_params_t p{l.shape, l.lo, l.hi};
  kiln_div_f32(&p, a, b, out);
  EXPECT_EQ(out[0], 6.0f);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_EQ(out[2], 3.0f);
  EXPECT_EQ(out[3], 0.125f);
}

TEST(MaximumMinimumF32, BroadcastScalarAndNaN) {
  // a [3,2] against a scalar b [1] and a row b [2].
  const float a[6] = {-1.0f, 2.0f, kNaN, 0.5f, -0.0f, 3.0f};
  {
    const Lowered l = LowerBinary(OpKind::kMaximum, {3, 2}, {1}, {3, 2});
    EXPECT_EQ(l.variant, "maximum_f32");
    const float b[1] = {1.0f};
    float out[6];
    const kiln_maximum_f32_params_t p{l.shape, l.lo, l.hi};
    kiln_maximum_f32(&p, a, b, out);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], 2.0f);
    EXPECT_TRUE(std::isnan(out[2]));  // NaN propagates, as ONNX's Max
    EXPECT_EQ(out[3], 1.0f);
    EXPECT_EQ(out[4], 1.0f);
    EXPECT_EQ(out[5], 3.0f);
  }
  {
    const Lowered l = LowerBinary(OpKind::kMinimum, {3, 2}, {2}, {3, 2});
    EXPECT_EQ(l.variant, "minimum_f32");
    const float b[2] = {0.0f, kNaN};
    float out[6];
    const kiln_minimum_f32_params_t p{l.shape, l.lo, l.hi};
    kiln_minimum_f32(&p, a, b, out);
    EXPECT_EQ(out[0], -1.0f);
    EXPECT_TRUE(std::isnan(out[1]));  // b is NaN
    EXPECT_TRUE(std::isnan(out[2]));  // a is NaN
    EXPECT_TRUE(std::isnan(out[3]));
    EXPECT_EQ(out[4], 0.0f);
    EXPECT_TRUE(std::isnan(out[5]));
  }
}

TEST(MaximumMinimumF32, BothInputsBroadcast) {
  // a [2,1] vs b [1,3] -> [2,3]: out[i][j] = max(a[i], b[j]).
  const Lowered l = LowerBinary(OpKind::kMaximum, {2, 1}, {1, 3}, {2, 3});
  const float a[2] = {0.0f, 5.0f};
  const float b[3] = {-1.0f, 4.0f, 6.0f};
  float out[6];
  const kiln_maximum_f32_params_t p{l.shape, l.lo, l.hi};
  kiln_maximum_f32(&p, a, b, out);
  const float expected[6] = {0.0f, 4.0f, 6.0f, 5.0f, 5.0f, 6.0f};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], expected[i]) << i;
}

/// log(exp(b*x_i) / sum_j exp(b*x_j)) in double, without max subtraction
/// (inputs chosen small enough that this does not overflow).
std::vector<double> NaiveLogSoftmax(const std::vector<float>& in, int depth, double beta) {
  std::vector<double> out(in.size());
  for (size_t r = 0; r < in.size() / static_cast<size_t>(depth); ++r) {
    double sum = 0;
    for (int c = 0; c < depth; ++c) sum += std::exp(beta * in[r * depth + c]);
    for (int c = 0; c < depth; ++c) out[r * depth + c] = std::log(std::exp(beta * in[r * depth + c]) / sum);
  }
  return out;
}

TEST(LogSoftmaxF32, MatchesTheDefinitionViaLower) {
  psm::GraphBuilder b;
  const int in = b.Tensor("in", DType::kFloat32, {2, 4});
  const int out = b.Tensor("out", DType::kFloat32, {2, 4});
  b.Op(OpKind::kLogSoftmax, {in}, {out}).attrs.set("beta", 2.0);
  RecordingLoweringContext ctx = CheckAndLower(b.graph, b.graph.nodes[0]);
  ASSERT_EQ(ctx.kernels.size(), 1u);
  EXPECT_EQ(ctx.kernels[0], "log_softmax_f32");
  const auto fields = psm::DeclaredFields(ctx);
  const kiln_log_softmax_f32_params_t p = {psm::IntField(fields, "outer_size"), psm::IntField(fields, "depth"),
                                           psm::FloatField(fields, "beta")};
  EXPECT_EQ(p.outer_size, 2);
  EXPECT_EQ(p.depth, 4);
  EXPECT_EQ(p.beta, 2.0f);
  const std::vector<float> input = {1.0f, 2.0f, 3.0f, 4.0f, -0.5f, -0.5f, -0.5f, -0.5f};
  std::vector<float> output(8);
  kiln_log_softmax_f32(&p, input.data(), output.data());
  const auto expected = NaiveLogSoftmax(input, 4, 2.0);
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(output[i], expected[i], 1e-5) << i;
  // A uniform row is log(1/4) everywhere.
  EXPECT_NEAR(output[4], -std::log(4.0), 1e-6);
}

TEST(LogSoftmaxF32, LargeInputsDoNotOverflow) {
  // exp(1000) overflows float; the kernel subtracts the row max first. By
  // hand: log_softmax([1000, 1001]) = [-log(1 + e), 1 - log(1 + e)].
  const kiln_log_softmax_f32_params_t p = {1, 2, 1.0f};
  const float input[2] = {1000.0f, 1001.0f};
  float output[2];
  kiln_log_softmax_f32(&p, input, output);
  const double l = std::log(1.0 + std::exp(1.0));
  EXPECT_NEAR(output[0], -l, 1e-5);
  EXPECT_NEAR(output[1], 1.0 - l, 1e-5);
}

}  // namespace
}  // namespace kiln::test::elem
