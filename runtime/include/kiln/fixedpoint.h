/* Fixed-point arithmetic with the exact rounding of TFLite's reference
 * kernels (gemmlowp's SaturatingRoundingDoublingHighMul and
 * RoundingDivideByPOT), used by every integer kernel. C99. */
#ifndef KILN_FIXEDPOINT_H_
#define KILN_FIXEDPOINT_H_

#include <stdint.h>

/* round(a * b / 2^31), saturating the single overflow case. */
static inline int32_t kiln_sat_rounding_doubling_high_mul(int32_t a, int32_t b) {
  int64_t ab;
  int32_t nudge;
  if (a == b && a == INT32_MIN) return INT32_MAX;
  ab = (int64_t)a * (int64_t)b;
  nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  /* C99 division truncates toward zero, as gemmlowp requires. */
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* x / 2^exponent rounded to nearest, ties away from zero. 0 <= exponent <= 31. */
static inline int32_t kiln_rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * multiplier * 2^(shift-31), TFLite's MultiplyByQuantizedMultiplier
 * (double rounding: high-mul, then rounding right shift). */
static inline int32_t kiln_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                            int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  /* Shift through uint32 so that a wrap is defined behaviour, as in TFLite. */
  const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
  return kiln_rounding_divide_by_pot(kiln_sat_rounding_doubling_high_mul(shifted, multiplier),
                                     right_shift);
}

static inline int32_t kiln_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

#endif /* KILN_FIXEDPOINT_H_ */
