// kiln_requantize_narrow (runtime/include/kiln/fixedpoint.h), the output
// stage of the fast schedules on layers the compiler proved narrow, against
// TFLite's MultiplyByQuantizedMultiplier as kiln_multiply_by_quantized_multiplier
// writes it: every shift it accepts, the extremes of its accumulator range,
// rounding ties, and random values.
#include <cstdint>
#include <random>
#include <utility>

#include <gtest/gtest.h>

#include "kernels/gemm_lowering.h"
#include "kiln/fixedpoint.h"
#include "kiln/gemm.h"
#include "kiln/rv32_common.h"

namespace kiln {
namespace {

constexpr int32_t kNarrowLimit = (int32_t{1} << 30) - 1;  // |x| <= 2^30 - 1

// The last step of the output stage from kiln_requantize_narrow_halves_mulhsu
// (what RV32 builds compute), with the offset folded in as the kernels fold it.
int32_t MulhsuOutputStage(int32_t x, int32_t multiplier, int shift, int32_t offset) {
  const int32_t x2 = static_cast<int32_t>(static_cast<uint32_t>(x) << 1);
  return (kiln_requantize_narrow_halves_mulhsu(x2, multiplier, -shift - 1) + 1 + 2 * offset) >> 1;
}

void ExpectSame(int32_t x, int32_t multiplier, int shift) {
  const int32_t tflite = kiln_multiply_by_quantized_multiplier(x, multiplier, shift);
  ASSERT_EQ(kiln_requantize_narrow(x, multiplier, -shift - 1), tflite)
      << "x=" << x << " multiplier=" << multiplier << " shift=" << shift;
  ASSERT_EQ(MulhsuOutputStage(x, multiplier, shift, 0), tflite)
      << "MULHSU form: x=" << x << " multiplier=" << multiplier << " shift=" << shift;
}

TEST(RequantizeNarrow, EqualsTfliteAtTheEdgesOfItsRange) {
  const int32_t multipliers[] = {0, 1, int32_t{1} << 30, (int32_t{1} << 30) + 1, 1518500250, INT32_MAX};
  const int32_t xs[] = {0, 1, -1, 2, -2, 3, -3, 1000, -1000, kNarrowLimit, -kNarrowLimit,
                        kNarrowLimit - 1, -kNarrowLimit + 1, int32_t{1} << 20, -(int32_t{1} << 20)};
  for (int shift = -1; shift >= -31; --shift)
    for (int32_t m : multipliers)
      for (int32_t x : xs) ExpectSame(x, m, shift);
}

TEST(RequantizeNarrow, EqualsTfliteOnTies) {
  // multiplier 2^30 makes the high multiply x / 2 exactly (ties in the first
  // rounding) and x = k * 2^r + 2^(r-1) ties in the second.
  for (int shift = -1; shift >= -20; --shift) {
    const int r = -shift;
    for (int32_t k = -70; k <= 70; ++k)
      for (int32_t d = -2; d <= 2; ++d) {
        const int32_t x = k * (int32_t{1} << r) + (int32_t{1} << (r - 1)) + d;
        ExpectSame(x, int32_t{1} << 30, shift);
        ExpectSame(2 * x, int32_t{1} << 30, shift);
        ExpectSame(x, (int32_t{1} << 30) + 12345, shift);
      }
  }
}

TEST(RequantizeNarrow, EqualsTfliteOnRandomValues) {
  std::mt19937 rng(20261203);
  std::uniform_int_distribution<int32_t> x_of(-kNarrowLimit, kNarrowLimit);
  std::uniform_int_distribution<int32_t> small_x_of(-100000, 100000);
  std::uniform_int_distribution<int32_t> m_of(int32_t{1} << 30, INT32_MAX);
  std::uniform_int_distribution<int> shift_of(-31, -1);
  for (int i = 0; i < 2000000; ++i) {
    const int32_t x = (i & 1) != 0 ? x_of(rng) : small_x_of(rng);
    ExpectSame(x, m_of(rng), shift_of(rng));
  }
}

// The fast kernels' output stage (kiln_gemm_s8_output) folds the output
// offset into the last rounding step and that step's shift into the clamp:
// equal to TFLite's requantize, add the offset, clamp, for every offset and
// both clamps (the int8 range as one SSAT, and a ReLU-like range).
TEST(RequantizeNarrow, OutputStageEqualsTfliteWithItsOffsetAndClamp) {
  std::mt19937 rng(20261204);
  std::uniform_int_distribution<int32_t> x_of(-kNarrowLimit, kNarrowLimit);
  std::uniform_int_distribution<int32_t> small_x_of(-3000000, 3000000);
  std::uniform_int_distribution<int32_t> m_of(int32_t{1} << 30, INT32_MAX);
  std::uniform_int_distribution<int> shift_of(-31, -1);
  std::uniform_int_distribution<int32_t> offset_of(-128, 127);
  int checked = 0;
  for (int i = 0; i < 400000; ++i) {
    const int32_t x = (i & 1) != 0 ? x_of(rng) : small_x_of(rng);
    const int32_t m = m_of(rng), offset = offset_of(rng);
    const int shift = shift_of(rng);
    const int32_t requantized = kiln_multiply_by_quantized_multiplier(x, m, shift) + offset;
    for (const auto [lo, hi] : {std::pair{-128, 127}, std::pair{offset, 127}}) {
      const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(offset, lo, hi);
      const int8_t expected = static_cast<int8_t>(kiln_clamp_i32(requantized, lo, hi));
      const int8_t got = clamp.full_range
                             ? kiln_gemm_s8_output(clamp, x, m, -shift - 1, KILN_REQUANT_NARROW, 1)
                             : kiln_gemm_s8_output(clamp, x, m, -shift - 1, KILN_REQUANT_NARROW, 0);
      ASSERT_EQ(got, expected) << "x=" << x << " multiplier=" << m << " shift=" << shift << " offset=" << offset
                               << " clamp=[" << lo << ", " << hi << "]";
      ASSERT_EQ(kiln_clamp_i32(MulhsuOutputStage(x, m, shift, offset), lo, hi), expected)
          << "MULHSU form: x=" << x << " multiplier=" << m << " shift=" << shift << " offset=" << offset;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 800000);
}

// kiln_requantize_narrow_relu, the RV32 kernels' output stage where the
// clamp's lower bound is at or above the output offset, with the constants
// the compiler computes for it (Rv32RequantArray) and the kernels' own
// kiln_rv32_output, and the other kernels' form of it (kiln_gemm_s8_output
// with KILN_REQUANT_RELU: SMMLAR, on the host its portable C): TFLite's
// requantize, offset and clamp, within the compiler's narrow bound (|x| <
// 2^29, right shift 1 to 22), its edges, the ties of both roundings
// (multiplier 2^30) and random values.
kiln_rv32_requant_t ReluConstants(int32_t multiplier, int shift, int32_t offset) {
  GemmOperands g;
  g.cols = 1;
  g.requant.multiplier = {multiplier};
  g.requant.shift = {shift};
  g.output_offset = offset;
  g.act_min = offset;
  g.act_max = 127;
  const std::vector<int64_t> words = Rv32RequantArray(g, /*narrow=*/true);
  EXPECT_EQ(words.size(), 3u) << "a triple where the clamp allows it";
  const int32_t triple[3] = {static_cast<int32_t>(words[0]), static_cast<int32_t>(words[1]),
                             static_cast<int32_t>(words[2])};
  return kiln_rv32_requant_at(triple, 0, 1);
}

int8_t ReluOutputStage(int32_t x, int32_t multiplier, int shift, int32_t offset, int32_t lo, int32_t hi) {
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(offset, lo, hi);
  const kiln_rv32_requant_t c = ReluConstants(multiplier, shift, offset);
  return clamp.full_range ? kiln_rv32_output(clamp, x, c, 1, KILN_REQUANT_NARROW, 1)
                          : kiln_rv32_output(clamp, x, c, 1, KILN_REQUANT_NARROW, 0);
}

void ExpectReluSame(int32_t x, int32_t m, int shift, int32_t offset, int32_t lo, int32_t hi) {
  const int8_t expected =
      static_cast<int8_t>(kiln_clamp_i32(kiln_multiply_by_quantized_multiplier(x, m, shift) + offset, lo, hi));
  ASSERT_EQ(ReluOutputStage(x, m, shift, offset, lo, hi), expected)
      << "x=" << x << " multiplier=" << m << " shift=" << shift << " offset=" << offset << " clamp=[" << lo << ", "
      << hi << "]";
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(offset, lo, hi);
  constexpr int kMode = KILN_REQUANT_NARROW | KILN_REQUANT_RELU;
  ASSERT_EQ(clamp.full_range ? kiln_gemm_s8_output(clamp, x, m, -shift - 1, kMode, 1)
                             : kiln_gemm_s8_output(clamp, x, m, -shift - 1, kMode, 0),
            expected)
      << "SMMLAR form: x=" << x << " multiplier=" << m << " shift=" << shift << " offset=" << offset << " clamp=["
      << lo << ", " << hi << "]";
  // The kernels whose weights the compiler doubled pass 2x (|x| < 2^29: it fits).
  constexpr int kDoubledMode = KILN_REQUANT_NARROW_DOUBLED | KILN_REQUANT_RELU;
  ASSERT_EQ(clamp.full_range ? kiln_gemm_s8_output(clamp, 2 * x, m, -shift - 1, kDoubledMode, 1)
                             : kiln_gemm_s8_output(clamp, 2 * x, m, -shift - 1, kDoubledMode, 0),
            expected)
      << "SMMLAR form, doubled: x=" << x << " multiplier=" << m << " shift=" << shift << " offset=" << offset;
}

constexpr int32_t kReluLimit = (int32_t{1} << 29) - 1;

TEST(RequantizeNarrowRelu, EqualsTfliteAtTheEdgesAndOnTies) {
  const int32_t multipliers[] = {0, int32_t{1} << 30, (int32_t{1} << 30) + 1, 1518500250, INT32_MAX};
  const int32_t offsets[] = {-128, -127, -1, 0, 1, 126, 127};
  const int32_t xs[] = {0, 1, -1, 2, -2, 1000, -1000, kReluLimit, -kReluLimit, int32_t{1} << 20, -(int32_t{1} << 20)};
  for (int shift = -1; shift >= -22; --shift)
    for (int32_t m : multipliers)
      for (int32_t offset : offsets)
        for (int32_t hi : {offset, int32_t{127}}) {
          for (int32_t x : xs) ExpectReluSame(x, m, shift, offset, offset, hi);
          // Ties of the second rounding (x / 2 exactly by the first one at
          // m = 2^30), on both sides of zero, where TFLite breaks them apart.
          for (int32_t k = -9; k <= 9; ++k)
            for (int32_t d = -2; d <= 2; ++d)
              ExpectReluSame(2 * (k * (int32_t{1} << -shift) + (int32_t{1} << (-shift - 1))) + d, m, shift, offset,
                             offset, hi);
        }
}

TEST(RequantizeNarrowRelu, EqualsTfliteOnRandomValuesAndClamps) {
  std::mt19937 rng(20261207);
  std::uniform_int_distribution<int32_t> x_of(-kReluLimit, kReluLimit);
  std::uniform_int_distribution<int32_t> small_x_of(-3000000, 3000000);
  std::uniform_int_distribution<int32_t> m_of(int32_t{1} << 30, INT32_MAX);
  std::uniform_int_distribution<int> shift_of(-22, -1);
  std::uniform_int_distribution<int32_t> offset_of(-128, 127);
  for (int i = 0; i < 1000000; ++i) {
    const int32_t x = (i & 1) != 0 ? x_of(rng) : small_x_of(rng);
    const int32_t offset = offset_of(rng);
    std::uniform_int_distribution<int32_t> lo_of(offset, 127);
    const int32_t lo = lo_of(rng);
    std::uniform_int_distribution<int32_t> hi_of(lo, 127);
    ExpectReluSame(x, m_of(rng), shift_of(rng), offset, lo, hi_of(rng));
  }
}

// And where TFLite's tie-break does matter: without the clamp the one floor
// differs (so that only layers whose clamp allows it take this form).
TEST(RequantizeNarrowRelu, DiffersFromTfliteBelowTheOffsetWithoutTheClamp) {
  const int32_t m = int32_t{1} << 30;  // the first rounding halves x exactly
  const int shift = -1;                 // the second one halves again: x = -2 is -0.5
  const int32_t tflite = kiln_multiply_by_quantized_multiplier(-2, m, shift);
  EXPECT_EQ(tflite, -1);  // ties away from zero
  const kiln_rv32_requant_t c = ReluConstants(m, shift, 0);
  EXPECT_EQ(kiln_requantize_narrow_relu(-4, static_cast<uint32_t>(c.multiplier), c.rounding, c.shift), 0);
  EXPECT_EQ(kiln_requantize_narrow_relu_halves(-4, m, -shift - 1, 1) >> 1, 0);  // halves_offset 1: offset 0
}

TEST(RequantizeNarrow, SaturateS8IsTheInt8Clamp) {
  for (int64_t x = -70000; x <= 70000; ++x)
    ASSERT_EQ(kiln_saturate_s8(static_cast<int32_t>(x)), kiln_clamp_i32(static_cast<int32_t>(x), -128, 127)) << x;
  for (const int32_t x : {INT32_MIN, INT32_MIN + 1, INT32_MAX - 127, INT32_MAX}) {
    ASSERT_EQ(kiln_saturate_s8(x), kiln_clamp_i32(x, -128, 127)) << x;
    ASSERT_EQ(kiln_saturate_s8_halves(x), kiln_clamp_i32(x >> 1, -128, 127)) << x;
  }
}

}  // namespace
}  // namespace kiln
