// Tests of LOGISTIC and TANH: the int8 kernels over every input value, and
// the int16 ones over a sample, for several input quantizations against
// independently computed expectations (psm_reference.py), the float kernels against libm, and the Check/Lower
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
#include "kiln/kernels/logistic_tanh_s16.h"
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

/// Lowers int16 LOGISTIC or TANH at the input scale, checks the declared
/// rescaling against the reference's, and runs the kernel on the sample.
std::vector<int32_t> RunInt16(OpKind op, float in_scale, const int32_t* expected_params) {
  const std::vector<int32_t> inputs = Vec(psm_expected::kInt16LutInput);
  const int n = static_cast<int>(inputs.size());
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kInt16, {n}, in_scale, 0);
  const int out = b.Tensor("out", DType::kInt16, {n}, 1.0f / 32768, 0);
  b.Op(op, {in}, {out});
  const Node& node = b.graph.nodes[0];
  const Status check = CheckLogisticTanhInt16(b.graph, node);
  EXPECT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(b.graph);
  EXPECT_TRUE(LowerLogisticTanhInt16(node, ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"logistic_tanh_s16"});
  const auto f = psm::DeclaredFields(ctx);
  const int k = op == OpKind::kLogistic ? 0 : 2;
  EXPECT_EQ(psm::IntField(f, "input_multiplier"), expected_params[k]);
  EXPECT_EQ(psm::IntField(f, "input_left_shift"), expected_params[k + 1]);
  const kiln_logistic_tanh_s16_params_t p = {psm::IntField(f, "size"), psm::IntField(f, "input_multiplier"),
                                             psm::IntField(f, "input_left_shift")};
  EXPECT_EQ(p.size, n);
  std::vector<int16_t> x(inputs.begin(), inputs.end()), y(inputs.size());
  (op == OpKind::kLogistic ? kiln_logistic_s16 : kiln_tanh_s16)(&p, x.data(), y.data());
  return std::vector<int32_t>(y.begin(), y.end());
}

TEST(LogisticTanhS16, SampleAtPowerOfTwoAndOtherScales) {
  struct Case {
    float scale;
    const int32_t* params;
    std::vector<int32_t> logistic, tanh;
  };
  using namespace psm_expected;
  const Case cases[] = {
      {0.000244140625f, kLutParamsS16Pot12, Vec(kLogisticS16Pot12), Vec(kTanhS16Pot12)},
      {0.00048828125f, kLutParamsS16Pot11, Vec(kLogisticS16Pot11), Vec(kTanhS16Pot11)},
      {0.001f, kLutParamsS16Scale0001, Vec(kLogisticS16Scale0001), Vec(kTanhS16Scale0001)},
      {3.0518044e-5f, kLutParamsS16Scale3e5, Vec(kLogisticS16Scale3e5), Vec(kTanhS16Scale3e5)}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.scale);
    EXPECT_EQ(RunInt16(OpKind::kLogistic, c.scale, c.params), c.logistic);
    EXPECT_EQ(RunInt16(OpKind::kTanh, c.scale, c.params), c.tanh);
  }
}

TEST(LogisticTanhS16, HandComputedPoints) {
  // At 2^-12 the table's input needs no rescaling but the factor 3: x = 0
  // is sigmoid 1/2 and tanh 0; +-8 is within the table's +-10.7 for the
  // sigmoid (1/(1+e^8) = 10.99 units of 2^-15) and saturates tanh.
  const kiln_logistic_tanh_s16_params_t p = {4, 0, 0};
  const int16_t x[4] = {0, -32768, 32767, 4096};
  int16_t y[4];
  kiln_logistic_s16(&p, x, y);
  EXPECT_EQ(y[0], 16384);
  EXPECT_EQ(y[1], 11);
  EXPECT_EQ(y[2], 32757);
  EXPECT_NEAR(y[3] / 32768.0, 1 / (1 + std::exp(-1.0)), 1e-3);  // x = 1
  kiln_tanh_s16(&p, x, y);
  EXPECT_EQ(y[0], 0);
  EXPECT_EQ(y[1], -32767);
  EXPECT_EQ(y[2], 32767);
  EXPECT_NEAR(y[3] / 32768.0, std::tanh(1.0), 1e-3);
}

TEST(LogisticTanhCheck, Int16NeedsSymmetricInputsAndOutputScale2PowMinus15) {
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kInt16, {4}, 0.001f, 0);
  const int out = b.Tensor("out", DType::kInt16, {4}, 1.0f / 32768, 0);
  b.Op(OpKind::kLogistic, {in}, {out});
  EXPECT_TRUE(CheckLogisticTanhInt16(b.graph, b.graph.nodes[0]).ok());
  b.graph.tensors[1].quant.scale = {1.0f / 16384};
  EXPECT_EQ(CheckLogisticTanhInt16(b.graph, b.graph.nodes[0]).message(),
            "operator #0 LOGISTIC: int16 output 'out' must have scale 2^-15 (1/32768), got 6.1035156e-05");
  b.graph.tensors[1].quant.scale = {1.0f / 32768};
  b.graph.tensors[0].quant.zero_point = {3};
  EXPECT_EQ(CheckLogisticTanhInt16(b.graph, b.graph.nodes[0]).message(),
            "operator #0 LOGISTIC: int16 input 'in' has zero point 3, expected 0");
  b.graph.tensors[0].quant.zero_point = {0};
  b.graph.tensors[0].quant.scale = {8.0f};
  EXPECT_EQ(CheckLogisticTanhInt16(b.graph, b.graph.nodes[0]).message(),
            "operator #0 LOGISTIC: int16 input 'in' scale 8 is too large: the table's input rescaling would "
            "overflow 32 bits (at most about 5.3)");
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
