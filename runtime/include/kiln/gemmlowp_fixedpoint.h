/* gemmlowp's fixed-point math functions (exp on negative values, logistic,
 * tanh, 1/(1+x)) on raw int32 values, bit-exact with gemmlowp's
 * fixedpoint.h as TFLite's softmax, logistic and tanh kernels use it. C99.
 *
 * A fixed-point value with `integer_bits` = m is an int32 raw value r that
 * stands for r / 2^(31-m) (gemmlowp's FixedPoint<int32_t, m>). gemmlowp's
 * templates take m at compile time; here it is a run-time argument, with
 * the same branches the templates resolve statically.
 *
 * gemmlowp's plain Add/Sub/Neg overflow in C++ (undefined behaviour that
 * wraps in practice); here they wrap explicitly through uint32_t. */
#ifndef KILN_GEMMLOWP_FIXEDPOINT_H_
#define KILN_GEMMLOWP_FIXEDPOINT_H_

#include <stdint.h>

#include "kiln/fixedpoint.h"

/* Wrapping two's-complement a + b. */
static inline int32_t kiln_gemmlowp_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* Wrapping two's-complement a - b. */
static inline int32_t kiln_gemmlowp_sub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* Wrapping two's-complement -a. */
static inline int32_t kiln_gemmlowp_neg(int32_t a) { return (int32_t)(0u - (uint32_t)a); }

/* Fixed-point product (integer bits add up): SaturatingRoundingDoublingHighMul. */
static inline int32_t kiln_gemmlowp_mul(int32_t a, int32_t b) {
  return kiln_sat_rounding_doubling_high_mul(a, b);
}

/* gemmlowp's SaturatingRoundingMultiplyByPOT<exponent>: saturating left
 * shift for exponent > 0, rounding (ties away from zero) right shift for
 * exponent < 0. -31 <= exponent <= 30. */
static inline int32_t kiln_gemmlowp_mul_by_pot(int32_t x, int exponent) {
  int32_t threshold;
  if (exponent == 0) return x;
  if (exponent < 0) return kiln_rounding_divide_by_pot(x, -exponent);
  threshold = (int32_t)((((int32_t)1) << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

/* (a + b) / 2 rounded to nearest, ties away from zero (RoundingHalfSum). */
static inline int32_t kiln_gemmlowp_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  /* C99 division truncates toward zero, as the C++ original relies on. */
  return (int32_t)((sum + sign) / 2);
}

/* Leading zero bits of x (32 for 0), without compiler builtins. */
static inline int kiln_gemmlowp_count_leading_zeros(uint32_t x) {
  int n = 0;
  if (x == 0) return 32;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

/* exp(a) for a in [-1/4, 0), a and result with 0 integer bits: a Taylor
 * expansion around -1/8. */
static inline int32_t kiln_gemmlowp_exp_on_interval_between_negative_one_quarter_and_0_excl(
    int32_t a) {
  const int32_t constant_term = 1895147668;     /* exp(-1/8) */
  const int32_t constant_1_over_3 = 715827883;  /* 1/3 */
  const int32_t x = kiln_gemmlowp_add(a, (int32_t)1 << 28); /* a + 1/8 */
  const int32_t x2 = kiln_gemmlowp_mul(x, x);
  const int32_t x3 = kiln_gemmlowp_mul(x2, x);
  const int32_t x4 = kiln_gemmlowp_mul(x2, x2);
  const int32_t x4_over_4 = kiln_gemmlowp_mul_by_pot(x4, -2);
  const int32_t x4_over_24_plus_x3_over_6_plus_x2_over_2 = kiln_gemmlowp_mul_by_pot(
      kiln_gemmlowp_add(
          kiln_gemmlowp_mul(kiln_gemmlowp_add(x4_over_4, x3), constant_1_over_3), x2),
      -1);
  return kiln_gemmlowp_add(
      constant_term,
      kiln_gemmlowp_mul(constant_term,
                        kiln_gemmlowp_add(x, x4_over_24_plus_x3_over_6_plus_x2_over_2)));
}

/* exp(a) for a <= 0 with `integer_bits` integer bits (0..29); the result
 * has 0 integer bits (exp(0) gives the largest raw value). */
static inline int32_t kiln_gemmlowp_exp_on_negative_values(int32_t a, int integer_bits) {
  /* exp(-2^k) for k = -2..4, with 0 integer bits. */
  static const int32_t kBarrelMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                39332535,   720401,     242};
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = kiln_gemmlowp_sub(a & mask, one_quarter);
  const int32_t remainder = kiln_gemmlowp_sub(a_mod_quarter_minus_one_quarter, a);
  int32_t result = kiln_gemmlowp_exp_on_interval_between_negative_one_quarter_and_0_excl(
      kiln_gemmlowp_mul_by_pot(a_mod_quarter_minus_one_quarter, integer_bits));
  int exponent;
  /* Multiply in exp(-2^k) for every bit k of the remainder that the
   * format can hold (gemmlowp's GEMMLOWP_EXP_BARREL_SHIFTER). */
  for (exponent = -2; exponent <= 4; ++exponent) {
    if (integer_bits > exponent) {
      const int shift = fractional_bits + exponent;
      if ((remainder & ((int32_t)1 << shift)) != 0)
        result = kiln_gemmlowp_mul(result, kBarrelMultipliers[exponent + 2]);
    }
  }
  /* Below -32, exp underflows to zero; only formats that reach that far. */
  if (integer_bits > 5) {
    const int32_t clamp = -((int32_t)1 << (36 - integer_bits));
    if (a < clamp) result = 0;
  }
  if (a == 0) result = INT32_MAX;
  return result;
}

/* Newton-Raphson estimate of 1 / (1 + half_denominator*2 - 1) shared by the
 * two functions below; returns x with 2 integer bits. */
static inline int32_t kiln_gemmlowp_newton_reciprocal_f2(int32_t half_denominator) {
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  const int32_t f2_one = (int32_t)1 << 29;
  int32_t x = kiln_gemmlowp_add(constant_48_over_17,
                                kiln_gemmlowp_mul(half_denominator, constant_neg_32_over_17));
  int i;
  for (i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = kiln_gemmlowp_mul(half_denominator, x);
    const int32_t one_minus_half_denominator_times_x =
        kiln_gemmlowp_sub(f2_one, half_denominator_times_x);
    /* x (2 integer bits) * (2 integer bits) has 4; rescale back to 2. */
    x = kiln_gemmlowp_add(
        x, kiln_gemmlowp_mul_by_pot(kiln_gemmlowp_mul(x, one_minus_half_denominator_times_x), 2));
  }
  return x;
}

/* 1 / (1 + a) for a in [0, 1), 0 integer bits in and out. */
static inline int32_t kiln_gemmlowp_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = kiln_gemmlowp_rounding_half_sum(a, INT32_MAX);
  const int32_t x = kiln_gemmlowp_newton_reciprocal_f2(half_denominator);
  /* x/2 reinterpreted with 1 integer bit, rescaled to 0 integer bits. */
  return kiln_gemmlowp_mul_by_pot(x, 1);
}

/* (1 - a) / (1 + a) for a in [0, 1), 0 integer bits in and out. */
static inline int32_t kiln_gemmlowp_one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t half_denominator = kiln_gemmlowp_rounding_half_sum(a, INT32_MAX);
  const int32_t x = kiln_gemmlowp_newton_reciprocal_f2(half_denominator);
  return kiln_gemmlowp_mul_by_pot(kiln_gemmlowp_sub(x, (int32_t)1 << 29), 2);
}

/* tanh(a), a with `integer_bits` integer bits (0..28); result with 0. */
static inline int32_t kiln_gemmlowp_tanh(int32_t a, int integer_bits) {
  const int negative = a < 0;
  const int32_t n = negative ? a : kiln_gemmlowp_neg(a); /* -|a| */
  /* exp(2n): doubling is exact by adding an integer bit. */
  const int32_t t = kiln_gemmlowp_one_minus_x_over_one_plus_x_for_x_in_0_1(
      kiln_gemmlowp_exp_on_negative_values(n, integer_bits + 1));
  if (a == 0) return 0;
  return negative ? kiln_gemmlowp_neg(t) : t;
}

/* logistic(a) = 1 / (1 + exp(-a)), a with `integer_bits` integer bits
 * (0..29); result with 0. */
static inline int32_t kiln_gemmlowp_logistic(int32_t a, int integer_bits) {
  const int positive = a > 0;
  const int32_t abs_input = positive ? a : kiln_gemmlowp_neg(a);
  const int32_t result_if_positive = kiln_gemmlowp_one_over_one_plus_x_for_x_in_0_1(
      kiln_gemmlowp_exp_on_negative_values(kiln_gemmlowp_neg(abs_input), integer_bits));
  const int32_t result_if_negative = kiln_gemmlowp_sub(INT32_MAX, result_if_positive);
  if (a == 0) return (int32_t)1 << 30;
  return positive ? result_if_positive : result_if_negative;
}

/* a + b and a - b clamped to int32 (TFLite's SaturatingAddNonGemmlowp and
 * SaturatingSub). */
static inline int32_t kiln_gemmlowp_saturating_add(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  return sum > INT32_MAX ? INT32_MAX : (sum < INT32_MIN ? INT32_MIN : (int32_t)sum);
}
static inline int32_t kiln_gemmlowp_saturating_sub(int32_t a, int32_t b) {
  const int64_t difference = (int64_t)a - (int64_t)b;
  return difference > INT32_MAX ? INT32_MAX : (difference < INT32_MIN ? INT32_MIN : (int32_t)difference);
}

/* TFLite's log_x_for_x_greater_than_or_equal_to_1: ln(x) for x >= 1 (x's
 * raw value at least 2^(31 - input_integer_bits), which keeps every shift
 * below within kiln_gemmlowp_mul_by_pot's range) with `input_integer_bits`
 * integer bits; the result
 * has `output_integer_bits` (1..29). x's raw value is read as 0 integer bits
 * and its power of two found from the leading zeros, the remainder r in
 * [sqrt(1/2), 1) fed to a rational approximation around sqrt(sqrt(1/2)),
 * summed with one more integer bit of headroom. */
static inline int32_t kiln_gemmlowp_log_x_for_x_ge_1(int32_t x, int input_integer_bits, int output_integer_bits) {
  const int accum_integer_bits = output_integer_bits + 1;
  const int32_t log_2 = 1488522236;          /* ln 2 */
  const int32_t sqrt_sqrt_half = 1805811301; /* (1/2)^(1/4) */
  const int32_t sqrt_half = 1518500250;      /* (1/2)^(1/2) */
  const int32_t one_quarter = 536870912;
  const int32_t alpha_n = 117049297;  /* 11/240 * 2^(1/4) */
  const int32_t alpha_d = 127690142;  /* 1/20 * 2^(1/4) */
  const int32_t alpha_i = 1057819769; /* 2 / 2^(1/4) - 2^(1/4) */
  const int32_t alpha_f = 638450708;  /* 1/4 * 2^(1/4) */
  const int32_t shifted_quarter = kiln_gemmlowp_mul_by_pot(one_quarter, -accum_integer_bits);
  const int z_a_headroom_plus_1 = kiln_gemmlowp_count_leading_zeros((uint32_t)x);
  const int32_t r_a_tmp = kiln_gemmlowp_mul_by_pot(x, z_a_headroom_plus_1 - 1);
  const int32_t r_a_raw = kiln_gemmlowp_mul_by_pot(kiln_gemmlowp_mul(r_a_tmp, sqrt_half), 1);
  const int32_t z_a_pow_2_adj = kiln_gemmlowp_saturating_add(
      kiln_gemmlowp_mul_by_pot(input_integer_bits - z_a_headroom_plus_1, 31 - accum_integer_bits), shifted_quarter);
  const int32_t z_b = kiln_gemmlowp_mul(x, sqrt_half);
  const int z_b_headroom = kiln_gemmlowp_count_leading_zeros((uint32_t)z_b) - 1;
  const int32_t r_b_raw = kiln_gemmlowp_mul_by_pot(x, z_b_headroom);
  const int32_t z_b_pow_2_adj = kiln_gemmlowp_saturating_sub(
      kiln_gemmlowp_mul_by_pot(input_integer_bits - z_b_headroom, 31 - accum_integer_bits), shifted_quarter);
  const int32_t r = r_a_raw < r_b_raw ? r_a_raw : r_b_raw;
  const int32_t z_pow_2_adj = z_a_pow_2_adj > z_b_pow_2_adj ? z_a_pow_2_adj : z_b_pow_2_adj;
  const int32_t p = kiln_gemmlowp_rounding_half_sum(r, sqrt_sqrt_half);
  const int32_t q_half = kiln_gemmlowp_sub(r, sqrt_sqrt_half);
  const int32_t q = kiln_gemmlowp_add(q_half, q_half);
  const int32_t common_sq = kiln_gemmlowp_mul(q, q);
  const int32_t num = kiln_gemmlowp_add(kiln_gemmlowp_mul(q, r),
                                        kiln_gemmlowp_mul(kiln_gemmlowp_mul(q, common_sq), alpha_n));
  const int32_t denom_minus_one = kiln_gemmlowp_add(
      kiln_gemmlowp_mul(p, kiln_gemmlowp_add(kiln_gemmlowp_add(alpha_i, q), kiln_gemmlowp_mul(alpha_d, common_sq))),
      kiln_gemmlowp_mul(alpha_f, q));
  const int32_t recip_denom = kiln_gemmlowp_one_over_one_plus_x_for_x_in_0_1(denom_minus_one);
  const int32_t num_scaled = kiln_gemmlowp_mul_by_pot(num, -accum_integer_bits);
  return kiln_gemmlowp_mul_by_pot(
      kiln_gemmlowp_add(kiln_gemmlowp_mul(z_pow_2_adj, log_2), kiln_gemmlowp_mul(num_scaled, recip_denom)),
      accum_integer_bits - output_integer_bits);
}

/* TFLite's GetReciprocal: for x > 0 with `x_integer_digits` integer bits,
 * returns 1/x as a 0-integer-bit value scaled by 2^-*out_num_bits_over_unit
 * (1/x ~= result / 2^31 / 2^num_bits_over_unit). */
static inline int32_t kiln_gemmlowp_get_reciprocal(int32_t x, int x_integer_digits,
                                                   int* out_num_bits_over_unit) {
  const int headroom_plus_one = kiln_gemmlowp_count_leading_zeros((uint32_t)x);
  const uint32_t shifted = headroom_plus_one < 32 ? (uint32_t)x << headroom_plus_one : 0u;
  /* x normalised to [1, 2), minus one, as a 0-integer-bit value. */
  const int32_t shifted_sum_minus_one = (int32_t)(shifted - 0x80000000u);
  *out_num_bits_over_unit = x_integer_digits - headroom_plus_one;
  return kiln_gemmlowp_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

/* TFLite's GetInvSqrtQuantizedMultiplierExp (with kReverseShift): for
 * input > 1, 1 / sqrt(input) as a multiplier and a left shift for
 * kiln_multiply_by_quantized_multiplier; five Newton-Raphson steps in
 * fixed point with 3 integer bits, from x = 1, on the input scaled by
 * powers of 4 into [2^27, 2^29). 0 and 1 give INT32_MAX, shift 0. */
static inline void kiln_gemmlowp_inv_sqrt_multiplier(int32_t input, int32_t* multiplier, int* left_shift) {
  const int32_t half_three = (1 << 28) + (1 << 27); /* 1.5 */
  const int32_t half_sqrt_2 = 1518500250;           /* sqrt(2) / 2, 0 integer bits */
  int32_t right_shift = 11, half_input, x;
  int pairs, i;
  if (input <= 1) {
    *multiplier = INT32_MAX;
    *left_shift = 0;
    return;
  }
  while (input >= (1 << 29)) {
    input /= 4;
    ++right_shift;
  }
  pairs = (kiln_gemmlowp_count_leading_zeros((uint32_t)input) - 1) / 2 - 1;
  right_shift -= pairs;
  input = (int32_t)((uint32_t)input << (2 * pairs));
  half_input = kiln_gemmlowp_mul_by_pot(input >> 1, -1);
  x = 1 << 28; /* 1.0 */
  for (i = 0; i < 5; ++i) {
    /* x^3 (9 integer bits, back to 3), then 1.5 x - input/2 x^3 (6, back to 3). */
    const int32_t x3 = kiln_gemmlowp_mul_by_pot(kiln_gemmlowp_mul(kiln_gemmlowp_mul(x, x), x), 6);
    x = kiln_gemmlowp_mul_by_pot(
        kiln_gemmlowp_sub(kiln_gemmlowp_mul(half_three, x), kiln_gemmlowp_mul(half_input, x3)), 3);
  }
  x = kiln_gemmlowp_mul(x, half_sqrt_2);
  if (right_shift < 0) {
    x = (int32_t)((uint32_t)x << -right_shift);
    right_shift = 0;
  }
  *multiplier = x;
  *left_shift = -right_shift;
}

#endif /* KILN_GEMMLOWP_FIXEDPOINT_H_ */
