// Tests of SOFTMAX and int8 LOG_SOFTMAX: the log_softmax_s8, softmax_s8 (int8 -> int8 / int16) and softmax_f32
// runtime kernels against independently computed expectations
// (psm_reference.py) and TFLite Micro's own test goldens, and the
// CheckSoftmax* / LowerSoftmax* parameter computation.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kernels/psm_expected.h"
#include "kernels/psm_test_util.h"
#include "kiln/kernels/log_softmax_s8.h"
#include "kiln/kernels/softmax_f32.h"
#include "kiln/kernels/softmax_s16.h"
#include "kiln/kernels/softmax_s8.h"

namespace kiln::test {
namespace {

using psm::GraphBuilder;

/// A SOFTMAX graph: int8 input of `shape`, output of `out_dtype` with the
/// kernel's fixed quantization.
GraphBuilder SoftmaxGraph(const Shape& shape, float input_scale, double beta, DType out_dtype) {
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kInt8, shape, input_scale, 3);
  const int out = out_dtype == DType::kInt8
                      ? b.Tensor("out", DType::kInt8, shape, 1.0f / 256, -128)
                      : b.Tensor("out", DType::kInt16, shape, 1.0f / 65536, -32768);
  b.Op(OpKind::kSoftmax, {in}, {out}).attrs.set("beta", beta);
  return b;
}

/// Checks and lowers the graph, then runs the kernel with the declared params.
std::vector<int32_t> RunSoftmaxS8(const Shape& shape, float input_scale, double beta,
                                  DType out_dtype, const std::vector<int32_t>& input) {
  GraphBuilder b = SoftmaxGraph(shape, input_scale, beta, out_dtype);
  const Node& node = b.graph.nodes[0];
  const Status check = CheckSoftmaxInt8(b.graph, node);
  EXPECT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(b.graph);
  EXPECT_TRUE(LowerSoftmaxInt8(node, ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"softmax_s8"});
  const auto fields = psm::DeclaredFields(ctx);
  kiln_softmax_s8_params_t p;
  p.outer_size = psm::IntField(fields, "outer_size");
  p.depth = psm::IntField(fields, "depth");
  p.input_multiplier = psm::IntField(fields, "input_multiplier");
  p.input_left_shift = psm::IntField(fields, "input_left_shift");
  p.diff_min = psm::IntField(fields, "diff_min");

  std::vector<int8_t> in(input.begin(), input.end());
  std::vector<int32_t> result;
  if (out_dtype == DType::kInt8) {
    EXPECT_NE(ctx.statements.at(0).find("kiln_softmax_s8(&"), std::string::npos);
    std::vector<int8_t> out(in.size(), 0);
    kiln_softmax_s8(&p, in.data(), out.data());
    result.assign(out.begin(), out.end());
  } else {
    EXPECT_NE(ctx.statements.at(0).find("kiln_softmax_s8_s16(&"), std::string::npos);
    std::vector<int16_t> out(in.size(), 0);
    kiln_softmax_s8_s16(&p, in.data(), out.data());
    result.assign(out.begin(), out.end());
  }
  return result;
}

template <size_t N>
std::vector<int32_t> Vec(const int32_t (&a)[N]) {
  return std::vector<int32_t>(a, a + N);
}

TEST(SoftmaxS8, TflmRowsInt8Output) {
  EXPECT_EQ(RunSoftmaxS8({2, 5}, 0.1f, 1.0, DType::kInt8, Vec(psm_expected::kSoftmax2dInput)),
            Vec(psm_expected::kSoftmax2dS8));
}

TEST(SoftmaxS8, TflmRowsInt16Output) {
  EXPECT_EQ(RunSoftmaxS8({2, 5}, 0.1f, 1.0, DType::kInt16, Vec(psm_expected::kSoftmax2dInput)),
            Vec(psm_expected::kSoftmax2dS16));
}

TEST(SoftmaxS8, RandomRowsBetaBelowOne) {
  const auto input = Vec(psm_expected::kSoftmaxRandomInput);
  EXPECT_EQ(RunSoftmaxS8({3, 11}, 0.0390625f, 0.7, DType::kInt8, input),
            Vec(psm_expected::kSoftmaxRandomS8Beta07));
  EXPECT_EQ(RunSoftmaxS8({3, 11}, 0.0390625f, 0.7, DType::kInt16, input),
            Vec(psm_expected::kSoftmaxRandomS16Beta07));
}

TEST(SoftmaxS8, RandomRowsLargeScaleUsesDiffMin) {
  // Rank 4: the rows are everything but the last axis.
  EXPECT_EQ(RunSoftmaxS8({1, 3, 1, 11}, 0.5f, 1.0, DType::kInt8,
                         Vec(psm_expected::kSoftmaxRandomInput)),
            Vec(psm_expected::kSoftmaxRandomS8Scale05));
}

TEST(SoftmaxS8, RandomRowsBetaTwo) {
  EXPECT_EQ(RunSoftmaxS8({3, 11}, 0.02f, 2.0, DType::kInt8,
                         Vec(psm_expected::kSoftmaxRandomInput)),
            Vec(psm_expected::kSoftmaxRandomS8Beta2));
}

TEST(SoftmaxS8, SingleElementSaturatesToOne) {
  EXPECT_EQ(RunSoftmaxS8({1, 1}, 0.1f, 1.0, DType::kInt8, {5}), std::vector<int32_t>{127});
  EXPECT_EQ(RunSoftmaxS8({1, 1}, 0.1f, 1.0, DType::kInt16, {5}), std::vector<int32_t>{32767});
}

TEST(SoftmaxS8, ManyEqualInputs) {
  // 1/300 of 256 is 0.853: one step above -128.
  const auto out = RunSoftmaxS8({300}, 0.1f, 1.0, DType::kInt8, std::vector<int32_t>(300, 3));
  EXPECT_EQ(out, std::vector<int32_t>(300, psm_expected::kSoftmaxEqual300S8[0]));
}

// TFLite Micro's softmax_test.cc 3-D case (input scale 0.1, tolerance one step).
TEST(SoftmaxS8, TflmGoldens3dWithinOneStep) {
  const float input[] = {3,  6,  -5,  4,   -9, -10, -10, -8, 2,  2,  8,  -5, -8, 5,  -6,
                         -8, 6,  1,   -10, -8, 7,   6,   -10, -4, -5, 2,  7,  9,  -9, 7,
                         -4, -2, 8,   2,   2,  3,   6,   6,  2,  4,  9,  7,  -7, 0,  4,
                         -3, 8,  8,   -3,  -4, -9,  -9,  4,  -8, -1, -10, -2, 6,  -7, 0};
  const double golden[] = {
      0.042009463, 0.843782625, 0.000014093, 0.114193561, 0.000000258, 0.000003072,
      0.000003072, 0.000022699, 0.499985578, 0.499985578, 0.952571219, 0.000002153,
      0.000000107, 0.047425728, 0.000000792, 0.000000826, 0.993305397, 0.006692839,
      0.000000112, 0.000000826, 0.731046347, 0.268936922, 0.000000030, 0.000012210,
      0.000004492, 0.000717124, 0.106430599, 0.786421666, 0.000000012, 0.106430599,
      0.000006114, 0.000045174, 0.995015917, 0.002466398, 0.002466398, 0.022595176,
      0.453836234, 0.453836234, 0.008312301, 0.061420055, 0.875505904, 0.118486839,
      0.000000099, 0.000108046, 0.005899112, 0.000008351, 0.499990113, 0.499990113,
      0.000008351, 0.000003072, 0.000002245, 0.000002245, 0.993296627, 0.000006103,
      0.006692780, 0.000000112, 0.000334520, 0.997191323, 0.000002254, 0.002471790};
  std::vector<int32_t> q;
  for (float v : input) q.push_back(static_cast<int32_t>(std::lround(v / 0.1f)));
  const auto s8 = RunSoftmaxS8({3, 4, 5}, 0.1f, 1.0, DType::kInt8, q);
  const auto s16 = RunSoftmaxS8({3, 4, 5}, 0.1f, 1.0, DType::kInt16, q);
  for (size_t i = 0; i < q.size(); ++i) {
    EXPECT_NEAR(s8[i], std::min(127.0, std::round(golden[i] * 256) - 128), 1.0) << i;
    EXPECT_NEAR(s16[i], std::min(32767.0, std::round(golden[i] * 65536) - 32768), 2.0) << i;
  }
}

TEST(SoftmaxS8, KernelWithHandWrittenParams) {
  // Parameters from psm_reference.py for input scale 0.5, beta 1.
  const kiln_softmax_s8_params_t p = {3, 11, psm_expected::kSoftmaxParamsScale05[0],
                                      psm_expected::kSoftmaxParamsScale05[1],
                                      psm_expected::kSoftmaxParamsScale05[2]};
  const auto input = Vec(psm_expected::kSoftmaxRandomInput);
  std::vector<int8_t> in(input.begin(), input.end());
  std::vector<int8_t> out(in.size());
  kiln_softmax_s8(&p, in.data(), out.data());
  EXPECT_EQ(std::vector<int32_t>(out.begin(), out.end()),
            Vec(psm_expected::kSoftmaxRandomS8Scale05));
}

TEST(SoftmaxLower, ComputesTfliteParams) {
  for (auto [scale, beta, expected] :
       {std::tuple{0.5f, 1.0, psm_expected::kSoftmaxParamsScale05},
        std::tuple{0.0390625f, 0.7, psm_expected::kSoftmaxParamsBeta07}}) {
    GraphBuilder b = SoftmaxGraph({2, 1, 7}, scale, beta, DType::kInt8);
    RecordingLoweringContext ctx(b.graph);
    ASSERT_TRUE(LowerSoftmaxInt8(b.graph.nodes[0], ctx).ok());
    const auto fields = psm::DeclaredFields(ctx);
    EXPECT_EQ(psm::IntField(fields, "outer_size"), 2);
    EXPECT_EQ(psm::IntField(fields, "depth"), 7);
    EXPECT_EQ(psm::IntField(fields, "input_multiplier"), expected[0]);
    EXPECT_EQ(psm::IntField(fields, "input_left_shift"), expected[1]);
    EXPECT_EQ(psm::IntField(fields, "diff_min"), expected[2]);
    EXPECT_EQ(ctx.statements.at(0), "kiln_softmax_s8(&softmax_s8_params_0, t0, t1);");
  }
}

TEST(SoftmaxLower, MultiplierIsCappedForHugeScales) {
  // beta * scale * 2^26 above 2^31 - 1 is capped (PreprocessSoftmaxScaling).
  GraphBuilder b = SoftmaxGraph({4}, 100.0f, 1.0, DType::kInt8);
  ASSERT_TRUE(CheckSoftmaxInt8(b.graph, b.graph.nodes[0]).ok());
  RecordingLoweringContext ctx(b.graph);
  ASSERT_TRUE(LowerSoftmaxInt8(b.graph.nodes[0], ctx).ok());
  const auto fields = psm::DeclaredFields(ctx);
  EXPECT_EQ(psm::IntField(fields, "input_multiplier"), INT32_MAX);
  EXPECT_EQ(psm::IntField(fields, "input_left_shift"), 31);
  EXPECT_EQ(psm::IntField(fields, "diff_min"), 0);  // floor(31 * 2^26 / 2^31) = 0
}

TEST(SoftmaxCheck, RejectsWrongOutputQuantization) {
  GraphBuilder b = SoftmaxGraph({1, 4}, 0.1f, 1.0, DType::kInt8);
  b.graph.tensors[1].quant.zero_point = {0};
  Status s = CheckSoftmaxInt8(b.graph, b.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 SOFTMAX: int8 output 'out' must have scale 1/256 and zero point -128, "
            "got scale 0.00390625 and zero point 0");

  GraphBuilder c = SoftmaxGraph({1, 4}, 0.1f, 1.0, DType::kInt16);
  c.graph.tensors[1].quant.scale = {1.0f / 32768};
  s = CheckSoftmaxInt8(c.graph, c.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("int16 output 'out' must have scale 1/65536 and zero point -32768"),
            std::string::npos)
      << s.message();
}

TEST(SoftmaxCheck, RejectsBadShapesDtypesAndBeta) {
  GraphBuilder b = SoftmaxGraph({1, 4}, 0.1f, 1.0, DType::kInt8);
  b.graph.tensors[1].shape = {1, 5};
  Status s = CheckSoftmaxInt8(b.graph, b.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 SOFTMAX: output 0 'out' has shape [1,5], expected [1,4]");

  GraphBuilder c = SoftmaxGraph({1, 4}, 0.1f, 1.0, DType::kInt8);
  c.graph.tensors[1].dtype = DType::kInt32;
  s = CheckSoftmaxInt8(c.graph, c.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 SOFTMAX: output 'out' has dtype int32, expected int8 or int16");

  GraphBuilder d = SoftmaxGraph({1, 4}, 0.1f, 0.0, DType::kInt8);
  s = CheckSoftmaxInt8(d.graph, d.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("too small for the int8 kernel"), std::string::npos) << s.message();

  GraphBuilder e = SoftmaxGraph({1, 4}, 0.1f, 1.0, DType::kInt8);
  e.graph.tensors[0].quant = {};
  s = CheckSoftmaxInt8(e.graph, e.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 SOFTMAX: input 'in' needs per-tensor quantization with a positive scale");

  GraphBuilder f = SoftmaxGraph({}, 0.1f, 1.0, DType::kInt8);
  s = CheckSoftmaxInt8(f.graph, f.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 SOFTMAX: input 'in' must have rank at least 1");
}

// --- int16 ------------------------------------------------------------------

/// Checks and lowers an int16 SOFTMAX, then runs the kernel with the
/// declared params and the lowering's lookup tables.
std::vector<int32_t> RunSoftmaxS16(const Shape& shape, float input_scale, double beta,
                                   const std::vector<int32_t>& input,
                                   const int32_t* expected_params) {
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kInt16, shape, input_scale, 0);
  const int out = b.Tensor("out", DType::kInt16, shape, 1.0f / 32768, 0);
  b.Op(OpKind::kSoftmax, {in}, {out}).attrs.set("beta", beta);
  const Status check = CheckSoftmaxInt16(b.graph, b.graph.nodes[0]);
  EXPECT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(b.graph);
  EXPECT_TRUE(LowerSoftmaxInt16(b.graph.nodes[0], ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"softmax_s16"});
  const auto f = psm::DeclaredFields(ctx);
  EXPECT_EQ(psm::IntField(f, "input_multiplier"), expected_params[0]);
  EXPECT_EQ(psm::IntField(f, "input_left_shift"), expected_params[1]);
  std::vector<int16_t> exp_lut, recip_lut;
  for (int64_t v : ctx.int_arrays.at(f.at("exp_lut"))) exp_lut.push_back(static_cast<int16_t>(v));
  for (int64_t v : ctx.int_arrays.at(f.at("one_over_one_plus_x_lut")))
    recip_lut.push_back(static_cast<int16_t>(v));
  const kiln_softmax_s16_params_t p = {psm::IntField(f, "outer_size"), psm::IntField(f, "depth"),
                                       psm::IntField(f, "input_multiplier"),
                                       psm::IntField(f, "input_left_shift"), exp_lut.data(),
                                       recip_lut.data()};
  std::vector<int16_t> in16(input.begin(), input.end()), out16(input.size());
  kiln_softmax_s16(&p, in16.data(), out16.data());
  return std::vector<int32_t>(out16.begin(), out16.end());
}

TEST(SoftmaxS16, LookupTablesMatchLutPopulate) {
  EXPECT_EQ(SoftmaxExpLutInt16(),
            std::vector<int64_t>(std::begin(psm_expected::kSoftmaxExpLutInt16),
                                 std::end(psm_expected::kSoftmaxExpLutInt16)));
  EXPECT_EQ(SoftmaxOneOverOnePlusXLutInt16(),
            std::vector<int64_t>(std::begin(psm_expected::kSoftmaxRecipLutInt16),
                                 std::end(psm_expected::kSoftmaxRecipLutInt16)));
}

TEST(SoftmaxS16, MatchesReference) {
  const auto input = Vec(psm_expected::kSoftmaxS16Input);
  EXPECT_EQ(RunSoftmaxS16({2, 8}, 1.0f / 4096, 1.0, input,
                          psm_expected::kSoftmaxS16ParamsScale4096),
            Vec(psm_expected::kSoftmaxS16Scale4096));
  EXPECT_EQ(RunSoftmaxS16({1, 2, 8}, 3.0e-4f, 0.6, input,
                          psm_expected::kSoftmaxS16ParamsScale3e4Beta06),
            Vec(psm_expected::kSoftmaxS16Scale3e4Beta06));
}

TEST(SoftmaxS16, CheckRejectsWrongQuantization) {
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kInt16, {1, 4}, 1.0f / 4096, 3);
  const int out = b.Tensor("out", DType::kInt16, {1, 4}, 1.0f / 32768, 0);
  b.Op(OpKind::kSoftmax, {in}, {out}).attrs.set("beta", 1.0);
  Status s = CheckSoftmaxInt16(b.graph, b.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 SOFTMAX: int16 input 'in' must have zero point 0, got 3");
  b.graph.tensors[0].quant.zero_point = {0};
  b.graph.tensors[1].quant.scale = {1.0f / 65536};
  s = CheckSoftmaxInt16(b.graph, b.graph.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("must have scale 1/32768 and zero point 0"), std::string::npos)
      << s.message();
}

// --- float ------------------------------------------------------------------

std::vector<float> ReferenceSoftmax(const std::vector<float>& in, int depth, double beta) {
  std::vector<float> out(in.size());
  for (size_t r = 0; r < in.size() / static_cast<size_t>(depth); ++r) {
    double max = -1e300, sum = 0;
    for (int c = 0; c < depth; ++c) max = std::max(max, double(in[r * depth + c]));
    for (int c = 0; c < depth; ++c) sum += std::exp((in[r * depth + c] - max) * beta);
    for (int c = 0; c < depth; ++c)
      out[r * depth + c] = static_cast<float>(std::exp((in[r * depth + c] - max) * beta) / sum);
  }
  return out;
}

TEST(SoftmaxF32, TflmGoldens2d) {
  const kiln_softmax_f32_params_t p = {2, 5, 1.0f};
  const float in[] = {1, 2, 3, 4, 5, -1, -2, -3, -4, -5};
  const float golden[] = {0.011656231, 0.031684921, 0.086128544, 0.234121657, 0.636408647,
                          0.636408647, 0.234121657, 0.086128544, 0.031684921, 0.011656231};
  float out[10];
  kiln_softmax_f32(&p, in, out);
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(out[i], golden[i], 1e-6) << i;
}

TEST(SoftmaxF32, BetaAndLargeValuesViaLower) {
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kFloat32, {3, 4});
  const int out = b.Tensor("out", DType::kFloat32, {3, 4});
  b.Op(OpKind::kSoftmax, {in}, {out}).attrs.set("beta", 0.5);
  ASSERT_TRUE(CheckSoftmaxFloat(b.graph, b.graph.nodes[0]).ok());
  RecordingLoweringContext ctx(b.graph);
  ASSERT_TRUE(LowerSoftmaxFloat(b.graph.nodes[0], ctx).ok());
  const auto fields = psm::DeclaredFields(ctx);
  EXPECT_EQ(fields.at("beta"), "0.5f");
  const kiln_softmax_f32_params_t p = {psm::IntField(fields, "outer_size"),
                                       psm::IntField(fields, "depth"),
                                       psm::FloatField(fields, "beta")};
  const std::vector<float> input = {1000, 1001, 999, 1000, -3, 0.5f, 7, -2, 0, 0, 0, 0};
  std::vector<float> output(12);
  kiln_softmax_f32(&p, input.data(), output.data());
  const auto expected = ReferenceSoftmax(input, 4, 0.5);
  for (int i = 0; i < 12; ++i) EXPECT_NEAR(output[i], expected[i], 1e-6) << i;
}

/// A LOG_SOFTMAX int8 graph of `shape`, output quantization (out_scale, out_zp).
GraphBuilder LogSoftmaxGraph(const Shape& shape, float input_scale, float out_scale = 16.0f / 256,
                             int64_t out_zp = 127) {
  GraphBuilder b;
  const int in = b.Tensor("in", DType::kInt8, shape, input_scale, 0);
  const int out = b.Tensor("out", DType::kInt8, shape, out_scale, out_zp);
  b.Op(OpKind::kLogSoftmax, {in}, {out});
  return b;
}

/// Checks and lowers LOG_SOFTMAX, then runs the kernel with the declared params.
std::vector<int32_t> RunLogSoftmaxS8(const Shape& shape, float input_scale, const std::vector<int32_t>& input,
                                     std::vector<int64_t>* params = nullptr) {
  GraphBuilder b = LogSoftmaxGraph(shape, input_scale);
  const Node& node = b.graph.nodes[0];
  const Status check = CheckLogSoftmaxInt8(b.graph, node);
  EXPECT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(b.graph);
  EXPECT_TRUE(LowerLogSoftmaxInt8(node, ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"log_softmax_s8"});
  const auto fields = psm::DeclaredFields(ctx);
  kiln_log_softmax_s8_params_t p;
  p.outer_size = psm::IntField(fields, "outer_size");
  p.depth = psm::IntField(fields, "depth");
  p.input_multiplier = psm::IntField(fields, "input_multiplier");
  p.input_left_shift = psm::IntField(fields, "input_left_shift");
  p.reverse_scaling_divisor = psm::IntField(fields, "reverse_scaling_divisor");
  p.reverse_scaling_shift = psm::IntField(fields, "reverse_scaling_shift");
  p.diff_min = psm::IntField(fields, "diff_min");
  if (params != nullptr)
    *params = {p.input_multiplier, p.input_left_shift, p.reverse_scaling_divisor, p.reverse_scaling_shift,
               p.diff_min};
  std::vector<int8_t> in(input.begin(), input.end()), out(in.size(), 0);
  kiln_log_softmax_s8(&p, in.data(), out.data());
  return std::vector<int32_t>(out.begin(), out.end());
}

// TensorFlow Lite Micro's log_softmax_test.cc int8 case: its inputs
// quantized at scale 20/255 (its [-10, 10] range), its expected bytes.
TEST(LogSoftmaxS8, TfliteMicroGolden) {
  EXPECT_EQ(RunLogSoftmaxS8({2, 4}, 20.0f / 255, {0, -77, 26, 51, 38, -26, 127, 13}),
            (std::vector<int32_t>{61, -36, 93, 125, 15, -65, 127, -16}));
  // Its other case: one value per row is the row's maximum, log 1 = 0.
  EXPECT_EQ(RunLogSoftmaxS8({3, 1}, 2.0f / 255, {0, -128, 127}), (std::vector<int32_t>{127, 127, 127}));
}

TEST(LogSoftmaxS8, MatchesReference) {
  const auto input = Vec(psm_expected::kSoftmaxRandomInput);
  EXPECT_EQ(RunLogSoftmaxS8({3, 11}, 0.1f, input), Vec(psm_expected::kLogSoftmaxRandomS8Scale01));
  std::vector<int64_t> params;
  EXPECT_EQ(RunLogSoftmaxS8({1, 3, 11}, 0.5f, input, &params), Vec(psm_expected::kLogSoftmaxRandomS8Scale05));
  EXPECT_EQ(params, std::vector<int64_t>(std::begin(psm_expected::kLogSoftmaxParamsScale05),
                                         std::end(psm_expected::kLogSoftmaxParamsScale05)));
  EXPECT_EQ(RunLogSoftmaxS8({300}, 0.02f, Vec(psm_expected::kLogSoftmaxWideInput)),
            Vec(psm_expected::kLogSoftmaxWideScale002));
}

TEST(LogSoftmaxS8, CheckNamesTheQuantizationTfliteMicroRequires) {
  auto message = [](GraphBuilder b) {
    const Status status = CheckLogSoftmaxInt8(b.graph, b.graph.nodes[0]);
    return status.ok() ? std::string("ok") : status.message();
  };
  EXPECT_NE(message(LogSoftmaxGraph({2, 4}, 0.1f, 1.0f / 256, 127)).find("must have scale 16/256 and zero point 127"),
            std::string::npos);
  EXPECT_NE(message(LogSoftmaxGraph({2, 4}, 0.1f, 16.0f / 256, -128)).find("zero point -128"), std::string::npos);
  EXPECT_NE(message(LogSoftmaxGraph({2, 4}, 1e-9f)).find("too small for the int8 kernel"), std::string::npos);
}

}  // namespace
}  // namespace kiln::test
