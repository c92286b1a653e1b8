// Tests of runtime/include/kiln/gemmlowp_fixedpoint.h: the rounding and
// saturation of the primitives on hand-computed values (ties of both signs,
// overflow edges), and the math functions against libm.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

#include "kiln/gemmlowp_fixedpoint.h"

namespace {

constexpr double kTwo31 = 2147483648.0;

TEST(GemmlowpFixedPoint, WrappingArithmetic) {
  EXPECT_EQ(kiln_gemmlowp_add(INT32_MAX, 1), INT32_MIN);
  EXPECT_EQ(kiln_gemmlowp_sub(INT32_MIN, 1), INT32_MAX);
  EXPECT_EQ(kiln_gemmlowp_neg(INT32_MIN), INT32_MIN);
  EXPECT_EQ(kiln_gemmlowp_neg(5), -5);
}

TEST(GemmlowpFixedPoint, MultiplyByPowerOfTwo) {
  // Saturating left shifts.
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot((1 << 29) - 1, 2), ((1 << 29) - 1) * 4);
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(1 << 29, 2), INT32_MAX);
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(-(1 << 29) + 1, 2), (-(1 << 29) + 1) * 4);
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(-(1 << 29), 2), INT32_MIN);
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(-(1 << 30), 2), INT32_MIN);
  // Rounding right shifts: ties away from zero.
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(3, -1), 2);
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(-3, -1), -2);
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(-5, -2), -1);  // -1.25
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(-6, -2), -2);  // -1.5
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(6, -2), 2);    // 1.5
  EXPECT_EQ(kiln_gemmlowp_mul_by_pot(7, 0), 7);
}

TEST(GemmlowpFixedPoint, RoundingHalfSum) {
  EXPECT_EQ(kiln_gemmlowp_rounding_half_sum(1, 2), 2);
  EXPECT_EQ(kiln_gemmlowp_rounding_half_sum(-1, -2), -2);
  EXPECT_EQ(kiln_gemmlowp_rounding_half_sum(-1, 0), -1);
  EXPECT_EQ(kiln_gemmlowp_rounding_half_sum(INT32_MAX, INT32_MAX), INT32_MAX);
  EXPECT_EQ(kiln_gemmlowp_rounding_half_sum(INT32_MIN, INT32_MIN), INT32_MIN);
}

TEST(GemmlowpFixedPoint, CountLeadingZeros) {
  EXPECT_EQ(kiln_gemmlowp_count_leading_zeros(0), 32);
  EXPECT_EQ(kiln_gemmlowp_count_leading_zeros(1), 31);
  EXPECT_EQ(kiln_gemmlowp_count_leading_zeros(0x80000000u), 0);
  EXPECT_EQ(kiln_gemmlowp_count_leading_zeros(1u << 19), 12);
}

TEST(GemmlowpFixedPoint, ExpOnNegativeValues) {
  EXPECT_EQ(kiln_gemmlowp_exp_on_negative_values(0, 5), INT32_MAX);
  for (int integer_bits : {0, 4, 5, 6, 12}) {
    const double unit = std::ldexp(1.0, 31 - integer_bits);
    const double lowest = std::max(-std::ldexp(1.0, integer_bits), -20.0) + 1e-3;
    for (double x = lowest; x < 0; x += 0.0137) {
      const int32_t raw = static_cast<int32_t>(std::lround(x * unit));
      const double got = kiln_gemmlowp_exp_on_negative_values(raw, integer_bits) / kTwo31;
      EXPECT_NEAR(got, std::exp(raw / unit), 2e-6) << "x=" << x << " bits=" << integer_bits;
    }
  }
  // With more than 5 integer bits, inputs below -32 flush to zero.
  EXPECT_EQ(kiln_gemmlowp_exp_on_negative_values(-(33 << 25), 6), 0);
}

TEST(GemmlowpFixedPoint, LogisticAndTanh) {
  EXPECT_EQ(kiln_gemmlowp_logistic(0, 4), 1 << 30);
  EXPECT_EQ(kiln_gemmlowp_tanh(0, 4), 0);
  for (int32_t raw = INT32_MIN; raw < INT32_MAX - (1 << 22); raw += (1 << 22) + 12345) {
    const double x = raw / std::ldexp(1.0, 27);
    const int32_t l = kiln_gemmlowp_logistic(raw, 4);
    EXPECT_NEAR(l / kTwo31, 1.0 / (1.0 + std::exp(-x)), 2e-6) << raw;
    if (raw != INT32_MIN) {
      // logistic(x) + logistic(-x) = 1 exactly (as INT32_MAX) by construction.
      EXPECT_EQ(static_cast<int64_t>(l) + kiln_gemmlowp_logistic(-raw, 4), INT32_MAX) << raw;
      EXPECT_EQ(kiln_gemmlowp_tanh(raw, 4), -kiln_gemmlowp_tanh(-raw, 4)) << raw;
    }
    EXPECT_NEAR(kiln_gemmlowp_tanh(raw, 4) / kTwo31, std::tanh(x), 4e-6) << raw;
  }
}

TEST(GemmlowpFixedPoint, OneOverOnePlusXAndReciprocal) {
  for (int32_t raw = 0; raw < INT32_MAX - (1 << 24); raw += 1 << 24) {
    EXPECT_NEAR(kiln_gemmlowp_one_over_one_plus_x_for_x_in_0_1(raw) / kTwo31,
                1.0 / (1.0 + raw / kTwo31), 2e-7);
    EXPECT_NEAR(kiln_gemmlowp_one_minus_x_over_one_plus_x_for_x_in_0_1(raw) / kTwo31,
                (1.0 - raw / kTwo31) / (1.0 + raw / kTwo31), 4e-7);
  }
  // 3.0 in Q12.19: headroom 10 bits + 1, so 1 bit over unit; 1/3 = 0.6667 / 2^1.
  int bits = -1;
  const int32_t r = kiln_gemmlowp_get_reciprocal(3 << 19, 12, &bits);
  EXPECT_EQ(bits, 1);
  EXPECT_NEAR(r / kTwo31 / std::ldexp(1.0, bits), 1.0 / 3.0, 1e-8);
  const int32_t one = kiln_gemmlowp_get_reciprocal(1 << 19, 12, &bits);
  EXPECT_EQ(bits, 0);
  EXPECT_GE(one, INT32_MAX - 4);
}

// The inverse square root of L2_NORMALIZATION: multiplier * 2^left_shift
// / 2^31 against libm over every range the input scaling walks (below 2^27,
// in [2^27, 2^29), above), within the 1.3e-6 that five Newton-Raphson steps
// in 28 fractional bits reach; 0 and 1 are INT32_MAX, no shift, as TFLite.
TEST(GemmlowpFixedPoint, InverseSquareRootMultiplier) {
  int32_t multiplier = 0;
  int shift = -99;
  for (int32_t input : {0, 1}) {
    kiln_gemmlowp_inv_sqrt_multiplier(input, &multiplier, &shift);
    EXPECT_EQ(multiplier, INT32_MAX);
    EXPECT_EQ(shift, 0);
  }
  for (int64_t input = 2; input < INT32_MAX; input = input * 3 / 2 + 1) {
    kiln_gemmlowp_inv_sqrt_multiplier(static_cast<int32_t>(input), &multiplier, &shift);
    const double value = multiplier / kTwo31 * std::ldexp(1.0, shift);
    EXPECT_NEAR(value * std::sqrt(static_cast<double>(input)), 1.0, 1.5e-6) << input;
  }
}

}  // namespace
