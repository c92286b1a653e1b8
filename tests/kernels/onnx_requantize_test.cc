// ONNX's requantization and rounding in the int8 path: the runtime's
// kiln_multiply_round_half_even against exact rational arithmetic
// (__int128), quantize_f32's ties to even, and the conv / fully-connected
// lowerings of nodes with rounding="HALF_EVEN" (float32 multipliers, the
// filter offset of uint8 weights, the round_half_even flag).
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>

#include "kernels/conv_common.h"
#include "kernels/elementwise_test_util.h"
#include "kernels/quant_params.h"
#include "kiln/fixedpoint.h"
#include "kiln/kernels/conv2d_s8.h"
#include "kiln/kernels/quantize_f32.h"

namespace kiln::test::elem {
namespace {

/// round_half_even(x * multiplier / 2^(31 - shift)), exactly, saturated.
int32_t ExactHalfEven(int32_t x, int32_t multiplier, int shift) {
  const __int128 num = static_cast<__int128>(x) * multiplier;
  const int right = 31 - shift;
  __int128 q, r, den;
  if (right <= 0) {
    q = num * (static_cast<__int128>(1) << -right);
    r = 0;
    den = 1;
  } else {
    den = static_cast<__int128>(1) << right;
    q = num / den;  // truncates toward zero
    r = num - q * den;
    if (r < 0) {  // floor division
      q -= 1;
      r += den;
    }
  }
  if (2 * r > den || (2 * r == den && (q & 1) != 0)) q += 1;
  if (q > INT32_MAX) return INT32_MAX;
  if (q < INT32_MIN) return INT32_MIN;
  return static_cast<int32_t>(q);
}

TEST(OnnxRequantize, MultiplyRoundHalfEvenIsExact) {
  // Ties on purpose: multiplier 2^30 with shift 0 is one half.
  EXPECT_EQ(kiln_multiply_round_half_even(1, 1 << 30, 0), 0);   // 0.5 -> 0
  EXPECT_EQ(kiln_multiply_round_half_even(3, 1 << 30, 0), 2);   // 1.5 -> 2
  EXPECT_EQ(kiln_multiply_round_half_even(5, 1 << 30, 0), 2);   // 2.5 -> 2
  EXPECT_EQ(kiln_multiply_round_half_even(-5, 1 << 30, 0), -2); // -2.5 -> -2
  EXPECT_EQ(kiln_multiply_round_half_even(-3, 1 << 30, 0), -2); // -1.5 -> -2
  // TFLite's (gemmlowp's doubling high multiply, with shift 0 the only
  // rounding) rounds those ties toward +infinity.
  EXPECT_EQ(kiln_multiply_by_quantized_multiplier(5, 1 << 30, 0), 3);
  EXPECT_EQ(kiln_multiply_by_quantized_multiplier(-5, 1 << 30, 0), -2);
  EXPECT_EQ(kiln_multiply_by_quantized_multiplier(-3, 1 << 30, 0), -1);
  // A sweep of accumulators, multipliers and shifts, ties included.
  uint32_t state = 12345;
  auto next = [&state]() {
    state = state * 1664525u + 1013904223u;
    return state;
  };
  for (int i = 0; i < 20000; ++i) {
    const int32_t x = static_cast<int32_t>(next()) >> (next() % 24);
    // Multipliers in [2^30, 2^31), some with trailing zeros (more ties).
    const uint32_t low = next() & ((1u << 30) - 1);
    const int32_t m = static_cast<int32_t>((1u << 30) | (low & ~((1u << (next() % 20)) - 1)));
    const int shift = static_cast<int>(next() % 40) - 32;
    ASSERT_EQ(kiln_multiply_round_half_even(x, m, shift), ExactHalfEven(x, m, shift))
        << x << " * " << m << " shift " << shift;
  }
  // Saturation on both sides.
  EXPECT_EQ(kiln_multiply_round_half_even(INT32_MAX, INT32_MAX, 5), INT32_MAX);
  EXPECT_EQ(kiln_multiply_round_half_even(INT32_MIN, INT32_MAX, 5), INT32_MIN);
}

TEST(OnnxRequantize, QuantizeF32RoundsTiesToEvenOnRequest) {
  const float x[6] = {0.5f, 1.5f, 2.5f, -2.5f, -0.5f, 2.6f};
  int8_t even[6], away[6];
  kiln_quantize_f32_params_t p{};
  p.count = 6;
  p.scale = 1.0f;
  p.zero_point = 0;
  p.output_type = KILN_QUANTIZE_F32_TO_S8;
  kiln_quantize_f32(&p, x, away);
  p.round_half_even = 1;
  kiln_quantize_f32(&p, x, even);
  const int8_t want_even[6] = {0, 2, 2, -2, 0, 3};
  const int8_t want_away[6] = {1, 2, 3, -3, -1, 3};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(even[i], want_even[i]) << i;
    EXPECT_EQ(away[i], want_away[i]) << i;
  }
}

TEST(OnnxRequantize, FloatScaleMultipliersAreEncodedExactly) {
  // x_scale * w_scale / y_scale in float32 (ONNX Runtime's order) versus
  // TFLite's double arithmetic; the encoding of the float32 value is exact.
  Node node;
  node.attrs.set("rounding", std::string("HALF_EVEN"));
  const float xs = 0.0036881323f, ws = 0.0017278735f, ys = 0.0016268920f;
  const ChannelMultipliers onnx = RequantMultipliers(node, xs, {ws}, 1, ys);
  const float f = xs * ws / ys;
  EXPECT_EQ(std::ldexp(static_cast<double>(onnx.multiplier[0]), static_cast<int>(onnx.shift[0]) - 31),
            static_cast<double>(f));
  Node tflite;
  const ChannelMultipliers t = RequantMultipliers(tflite, xs, {ws}, 1, ys);
  const FixedPointMultiplier expected =
      QuantizeMultiplier(static_cast<double>(xs) * static_cast<double>(ws) / static_cast<double>(ys));
  EXPECT_EQ(t.multiplier[0], expected.multiplier);
}

TEST(OnnxRequantize, ConvLoweringCarriesFilterOffsetAndRounding) {
  // 1x1 conv, one channel: x int8 zero point 4; w = 126 with zero point 127
  // (ONNX's uint8 254 / 255 moved to int8), so w - zp = -1; y zero point -5;
  // scales give a multiplier of exactly 0.5, so every odd sum is a tie.
  Graph g;
  const int x = AddTensor(g, "x", DType::kInt8, {1, 1, 3, 1}, 1.0f, 4);
  const int w = AddTensor(g, "w", DType::kInt8, {1, 1, 1, 1}, 0.5f, 127);
  g.tensors[static_cast<size_t>(w)].is_constant = true;
  g.tensors[static_cast<size_t>(w)].data = {static_cast<uint8_t>(static_cast<int8_t>(126))};
  const int y = AddTensor(g, "y", DType::kInt8, {1, 1, 3, 1}, 1.0f, -5);
  Node& conv = AddNode(g, OpKind::kConv2D, "CONV_2D", {x, w}, {y});
  for (const char* a : {"stride_h", "stride_w", "dilation_h", "dilation_w"}) conv.attrs.set(a, int64_t{1});
  conv.attrs.set("padding", std::string("VALID"));
  conv.attrs.set("activation", std::string("NONE"));
  conv.attrs.set("rounding", std::string("HALF_EVEN"));
  RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
  ASSERT_EQ(ctx.declarations.size(), 1u);
  const auto p = ParseParams(ctx.declarations[0]);
  EXPECT_EQ(p.at("filter_offset"), "-127");
  EXPECT_EQ(p.at("round_half_even"), "1");
  EXPECT_EQ(p.at("input_offset"), "-4");
  // Run the kernel with those parameters: acc = (126 - 127) * (x - 4);
  // y = round_half_even(acc * 0.5) - 5.
  const int32_t mult = 1 << 30, shift = 0;
  kiln_conv2d_s8_params_t k{};
  k.batches = 1;
  k.input_h = 1, k.input_w = 3, k.input_c = 1;
  k.filter_h = 1, k.filter_w = 1, k.filter_c = 1;
  k.output_h = 1, k.output_w = 3, k.output_c = 1;
  k.stride_h = k.stride_w = k.dilation_h = k.dilation_w = 1;
  k.input_offset = -4;
  k.filter_offset = -127;
  k.output_offset = -5;
  k.act_min = -128, k.act_max = 127;
  k.round_half_even = 1;
  k.output_multiplier = &mult;
  k.output_shift = &shift;
  const int8_t in[3] = {5, 7, 1};  // x - 4 = 1, 3, -3: acc = -1, -3, 3
  const int8_t filter[1] = {126};
  int8_t out[3];
  kiln_conv2d_s8(&k, in, filter, nullptr, out);
  EXPECT_EQ(out[0], 0 - 5);   // -0.5 -> -0 (even)
  EXPECT_EQ(out[1], -2 - 5);  // -1.5 -> -2
  EXPECT_EQ(out[2], 2 - 5);   // 1.5 -> 2
}

}  // namespace
}  // namespace kiln::test::elem

namespace kiln {
namespace {

// A ratio of scales that overflows (tflite_pipeline's finding of 2026-12-07:
// the cast of inf to int64 was undefined) maps above every finite value, so
// that the callers' range checks refuse it; NaN alike.
TEST(QuantizeMultiplier, ANonFiniteRatioIsLargerThanAnyFiniteOne) {
  for (const double v : {INFINITY, NAN, -INFINITY}) {
    const FixedPointMultiplier m = QuantizeMultiplier(v);
    EXPECT_GT(m.shift, QuantizeMultiplier(1e300).shift) << v;
    EXPECT_EQ(m.multiplier, 1 << 30) << v;
  }
}

}  // namespace
}  // namespace kiln
