// Tests of LOGISTIC and TANH: the int8 kernels over every input value for
// several input quantizations against independently computed expectations
// (psm_reference.py), the float kernels against libm, and the Check/Lower
// parameter computation.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kernels/psm_expected.h"
#include "kernels/psm_test_util.h"
#include "kiln/kernels/logistic_f32.h"
#include "kiln/kernels/logistic_s8.h"
#include "kiln/kernels/tanh_f32.h"
#include "kiln/kernels/tanh_s8.h"

namespace kiln::test {
namespace {

using psm::GraphBuilder;

GraphBuilder UnaryGraph(OpKind op, const Shape& shape, float in_scale, int64_t in_zp) {
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kInt8, shape, in_scale, in_zp);
  const int out = op == OpKind::kLogistic ? b.Tensor("out", DType::kInt8, shape, 1.0f / 256, -128)
                                          : b.Tensor("out", DType::kInt8, shape, 1.0f / 128, 0);
  b.Op(op, {in}, {out});
  return b;
}

/// Lowers LOGISTIC or TANH for input -128..127 and runs the kernel with the
/// declared params.
std::vector<int32_t> RunAllValues(OpKind op, float in_scale, int64_t in_zp,
                                  const int32_t* expected_params) {
  GraphBuilder b = UnaryGraph(op, {2, 128}, in_scale, in_zp);
  const Node& node = b.graph.nodes[0];
  const Status check = CheckLogisticTanhInt8(b.graph, node);
  EXPECT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(b.graph);
  EXPECT_TRUE(LowerLogisticTanhInt8(node, ctx).ok());
  const auto f = psm::DeclaredFields(ctx);
  EXPECT_EQ(psm::IntField(f, "size"), 256);
  EXPECT_EQ(psm::IntField(f, "input_zero_point"), in_zp);
  EXPECT_EQ(psm::IntField(f, "input_multiplier"), expected_params[0]);
  EXPECT_EQ(psm::IntField(f, "input_left_shift"), expected_params[1]);
  EXPECT_EQ(psm::IntField(f, "input_range_radius"), expected_params[2]);

  std::vector<int8_t> in(256), out(256);
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  if (op == OpKind::kLogistic) {
    EXPECT_EQ(ctx.kernels, std::vector<std::string>{"logistic_s8"});
    const kiln_logistic_s8_params_t p = {
        psm::IntField(f, "size"), psm::IntField(f, "input_zero_point"),
        psm::IntField(f, "input_range_radius"), psm::IntField(f, "input_multiplier"),
        psm::IntField(f, "input_left_shift")};
    kiln_logistic_s8(&p, in.data(), out.data());
  } else {
    EXPECT_EQ(ctx.kernels, std::vector<std::string>{"tanh_s8"});
    const kiln_tanh_s8_params_t p = {
        psm::IntField(f, "size"), psm::IntField(f, "input_zero_point"),
        psm::IntField(f, "input_range_radius"), psm::IntField(f, "input_multiplier"),
        psm::IntField(f, "input_left_shift")};
    kiln_tanh_s8(&p, in.data(), out.data());
  }
  return std::vector<int32_t>(out.begin(), out.end());
}

template <size_t N>
std::vector<int32_t> Vec(const int32_t (&a)[N]) {
  return std::vector<int32_t>(a, a + N);
}

TEST(LogisticS8, AllInputsScaleOneSixteenth) {
  EXPECT_EQ(RunAllValues(OpKind::kLogistic, 0.0625f, 0, psm_expected::kLogisticTanhParamsScale0625),
            Vec(psm_expected::kLogisticScale0625));
}

TEST(LogisticS8, AllInputsScaleTenthNegativeZeroPoint) {
  EXPECT_EQ(RunAllValues(OpKind::kLogistic, 0.1f, -10, psm_expected::kLogisticTanhParamsScale01),
            Vec(psm_expected::kLogisticScale01));
}

TEST(LogisticS8, AllInputsLargeScaleSaturates) {
  EXPECT_EQ(RunAllValues(OpKind::kLogistic, 0.5f, 3, psm_expected::kLogisticTanhParamsScale05),
            Vec(psm_expected::kLogisticScale05));
}

TEST(TanhS8, AllInputsScaleOneSixteenth) {
  EXPECT_EQ(RunAllValues(OpKind::kTanh, 0.0625f, 0, psm_expected::kLogisticTanhParamsScale0625),
            Vec(psm_expected::kTanhScale0625));
}

TEST(TanhS8, AllInputsScaleTenthNegativeZeroPoint) {
  EXPECT_EQ(RunAllValues(OpKind::kTanh, 0.1f, -10, psm_expected::kLogisticTanhParamsScale01),
            Vec(psm_expected::kTanhScale01));
}

TEST(TanhS8, AllInputsLargeScaleSaturates) {
  EXPECT_EQ(RunAllValues(OpKind::kTanh, 0.5f, 3, psm_expected::kLogisticTanhParamsScale05),
            Vec(psm_expected::kTanhScale05));
}

TEST(LogisticS8, HandComputedPoints) {
  // Scale 1/16: x = 0 gives exactly 1/2 -> 128 - 128 = 0; the range radius
  // is floor(15 * 2^27 / 2^24) = 120, so |x| >= 120 saturates.
  const kiln_logistic_s8_params_t p = {5, 0, 120, 1 << 30, 24};
  const int8_t in[] = {0, 120, -120, 119, -119};
  int8_t out[5];
  kiln_logistic_s8(&p, in, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 127);
  EXPECT_EQ(out[2], -128);
  // logistic(7.4375) * 256 = 255.85 -> 256 - 128 clamps to 127.
  EXPECT_EQ(out[3], 127);
  // logistic(-7.4375) * 256 = 0.15 -> 0 - 128.
  EXPECT_EQ(out[4], -128);
}

TEST(TanhS8, HandComputedPoints) {
  const kiln_tanh_s8_params_t p = {3, 0, 120, 1 << 30, 24};
  const int8_t in[] = {0, 8, -8};  // 0, 0.5, -0.5
  int8_t out[3];
  kiln_tanh_s8(&p, in, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 59);   // tanh(0.5) * 128 = 59.18
  EXPECT_EQ(out[2], -59);
}

TEST(LogisticTanhCheck, RejectsWrongOutputQuantization) {
  GraphBuilder b = UnaryGraph(OpKind::kLogistic, {4}, 0.1f, 0);
  b.graph.tensors[1].quant.zero_point = {0};
  Status s = CheckLogisticTanhInt8(b.graph, b.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 LOGISTIC: int8 output 'out' must have scale 1/256 and zero point -128, "
            "got scale 0.00390625 and zero point 0");

  GraphBuilder c = UnaryGraph(OpKind::kTanh, {4}, 0.1f, 0);
  c.graph.tensors[1].quant.scale = {1.0f / 256};
  s = CheckLogisticTanhInt8(c.graph, c.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 TANH: int8 output 'out' must have scale 1/128 and zero point 0, got "
            "scale 0.00390625 and zero point 0");
}

TEST(LogisticTanhCheck, RejectsShapeDtypeAndScaleProblems) {
  GraphBuilder b = UnaryGraph(OpKind::kTanh, {4}, 0.1f, 0);
  b.graph.tensors[1].shape = {2, 2};
  Status s = CheckLogisticTanhInt8(b.graph, b.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 TANH: output 0 'out' has shape [2,2], expected [4]");

  GraphBuilder c = UnaryGraph(OpKind::kLogistic, {4}, 0.1f, 0);
  c.graph.tensors[1].dtype = DType::kInt16;
  s = CheckLogisticTanhInt8(c.graph, c.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 LOGISTIC: output 'out' has dtype int16, expected int8");

  GraphBuilder d = UnaryGraph(OpKind::kLogistic, {4}, 32.0f, 0);
  s = CheckLogisticTanhInt8(d.graph, d.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 LOGISTIC: input 'in' scale 32 is outside the supported range [2^-28, "
            "16)");
}

TEST(LogisticF32, MatchesLibmWithCutoffs) {
  const float in[] = {-20, -9.5f, -9, -1, 0, 0.25f, 3, 16.5f, 17, 100};
  float out[10];
  const kiln_logistic_f32_params_t p = {10};
  kiln_logistic_f32(&p, in, out);
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(out[i], 1.0 / (1.0 + std::exp(-double(in[i]))), 1e-6);
  EXPECT_EQ(out[9], 1.0f);
  EXPECT_EQ(out[0], std::exp(-20.0f));  // below -9 TFLite returns exp(x)
}

TEST(TanhF32, MatchesLibm) {
  const float in[] = {-20, -1, -0.5f, 0, 0.001f, 2, 20};
  float out[7];
  const kiln_tanh_f32_params_t p = {7};
  kiln_tanh_f32(&p, in, out);
  for (int i = 0; i < 7; ++i) EXPECT_NEAR(out[i], std::tanh(double(in[i])), 1e-6);
}

TEST(LogisticTanhLower, FloatEmitsSizeAndKernel) {
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kFloat32, {2, 3, 4});
  const int out = b.Tensor("out", DType::kFloat32, {2, 3, 4});
  b.Op(OpKind::kTanh, {in}, {out});
  ASSERT_TRUE(CheckLogisticTanhFloat(b.graph, b.graph.nodes[0]).ok());
  RecordingLoweringContext ctx(b.graph);
  ASSERT_TRUE(LowerLogisticTanhFloat(b.graph.nodes[0], ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"tanh_f32"});
  EXPECT_EQ(psm::IntField(psm::DeclaredFields(ctx), "size"), 24);
  EXPECT_EQ(ctx.statements.at(0), "kiln_tanh_f32(&tanh_f32_params_0, t0, t1);");
}

}  // namespace
}  // namespace kiln::test
