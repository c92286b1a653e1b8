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

/* TFLite's MultiplyByQuantizedMultiplier for a 64-bit x (the 16x8 kernels
 * with an int64 bias): the multiplier rounded to 16 bits, then one rounding
 * shift. Single rounding, so it differs from the 32-bit one above. The
 * compiler keeps shift within -31..7 (TFLite's range for it). */
static inline int32_t kiln_multiply_by_quantized_multiplier_s64(int64_t x, int32_t multiplier,
                                                                int shift) {
  const int64_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const int total_shift = 15 - shift;
  /* >> of a negative int64 is arithmetic on every compiler Kiln supports. */
  return (int32_t)((x * reduced + ((int64_t)1 << (total_shift - 1))) >> total_shift);
}

/* kiln_multiply_by_quantized_multiplier for a multiplier >= 0, which is
 * every multiplier Kiln computes: then the saturating case cannot occur, and
 * the rounding high multiply is one 64-bit multiply, a constant add and an
 * arithmetic shift. Equal to gemmlowp's for every input: for ab < 0,
 * floor((ab + 2^30) / 2^31) == trunc((ab + 1 - 2^30) / 2^31). The fast
 * schedules requantize with it (CMSIS-NN's arm_nn_requantize is the same). */
static inline int32_t kiln_requantize(int32_t x, int32_t multiplier, int shift) {
  /* Branch-free: max(shift, 0) and max(-shift, 0). */
  const int32_t left_shift = shift & ~(shift >> 31);
  const int32_t right_shift = left_shift - shift;
  const int64_t ab = (int64_t)(int32_t)((uint32_t)x << left_shift) * (int64_t)multiplier;
  /* >> of a negative int64 is arithmetic on every compiler Kiln supports. */
  const int32_t high = (int32_t)((ab + ((int64_t)1 << 30)) >> 31);
  /* gemmlowp's RoundingDivideByPOT, as in kiln_rounding_divide_by_pot. */
  const int32_t mask = (int32_t)((1u << right_shift) - 1u);
  const int32_t threshold = (mask >> 1) + (int32_t)((uint32_t)high >> 31);
  return (high >> right_shift) + ((high & mask) > threshold ? 1 : 0);
}

/* round(a * b / 2^32): the high word of the product, rounded (SMMULR). */
static inline int32_t kiln_smmulr(int32_t a, int32_t b) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
#else
  /* (a * b + 2^31) >> 32 as the product's high word plus the rounding
   * carry, the low word's top bit: a multiply-high, a multiply, a shift and
   * an add on RV32 (|a * b| <= 2^62, so the sum cannot overflow). */
  const int64_t product = (int64_t)a * (int64_t)b;
  return (int32_t)((uint32_t)(product >> 32) + ((uint32_t)product >> 31));
#endif
}

/* round(a * b / 2^32) + acc (SMMLAR); the kernels' bounds keep it in int32. */
static inline int32_t kiln_smmlar(int32_t a, int32_t b, int32_t acc) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
  int32_t r;
  __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
#else
  return (int32_t)((uint32_t)kiln_smmulr(a, b) + (uint32_t)acc);
#endif
}

/* kiln_requantize_narrow_doubled takes 2x itself: kernels whose weights are
 * int16 at compile time get it for free, the compiler doubling their weights
 * and folded bias (|2x| < 2^31 in a narrow layer, so nothing overflows).
 *
 * kiln_requantize where the compiler proved, per channel, shift <= -1 and
 * |x| < 2^30 for every input (a "narrow" layer: bias, weights and the int8
 * input range bound the accumulator). Then 2x cannot overflow, so the rounding
 * doubling high multiply (x * m + 2^30) >> 31 is SMMULR(2x, m); and gemmlowp's
 * rounding divide by 2^r (ties away from zero) is (h + 2^(r-1) - (h < 0)) >> r,
 * computed as (((h - (h < 0)) >> (r-1)) + 1) >> 1 so that only r - 1 is
 * stored. `right_shift_m1` = -shift - 1. Equal to kiln_requantize for all such
 * inputs (tests/kernels/requantize_narrow_test.cc); about 6 instructions against 20. */

/* kiln_requantize_narrow_halves for cores without a rounding multiply-high
 * (RV32): h = floor(x2 * 2m / 2^32) is one MULHSU (2m < 2^32 read as
 * unsigned), SMMULR(x2, m) = (h + 1) >> 1, and so (SMMULR - (SMMULR < 0)) >>
 * r == (h + 1 - 2 (x2 < 0)) >> (r + 1): five instructions against eight.
 * Where m = 0, or x2 < 0 and SMMULR(x2, m) = 0, the two halves differ (-1
 * here, 0 there) and the last step, (halves + an odd number) >> 1, maps both
 * to the same value; that is the only way the kernels use halves
 * (tests/kernels/requantize_narrow_test.cc). */
static inline int32_t kiln_requantize_narrow_halves_mulhsu(int32_t x2, int32_t multiplier, int32_t right_shift_m1) {
  const int32_t h = (int32_t)(((int64_t)x2 * (int64_t)((uint32_t)multiplier << 1)) >> 32);
  return (h + ((x2 >> 31) | 1)) >> (right_shift_m1 + 1);
}

/* kiln_requantize_narrow_doubled before its last step: t, with the result
 * (t + 1) >> 1. An output stage folds its offset into that step: ((t + 1)
 * >> 1) + offset == (t + 1 + 2 offset) >> 1, 2 offset being even, and the
 * shift into the clamp (SSAT's own shift, kiln_saturate_s8_halves). */
static inline int32_t kiln_requantize_narrow_halves(int32_t x2, int32_t multiplier, int32_t right_shift_m1) {
#if defined(__riscv_mul)
  return kiln_requantize_narrow_halves_mulhsu(x2, multiplier, right_shift_m1);
#else
  const int32_t high = kiln_smmulr(x2, multiplier);
  const int32_t biased = high + (high >> 31); /* high - (high < 0) */
  return biased >> right_shift_m1;
#endif
}

/* kiln_requantize_narrow_halves + halves_offset (1 + 2 offset) where the
 * clamp that follows lifts every value at or below the offset to at least
 * it (ReLU, ReLU6): as for kiln_requantize_narrow_relu, TFLite's tie-break
 * term (h < 0) can then be dropped, and the offset joins the rounding
 * constant: (SMMLAR(x2, m, halves_offset << (r - 1)) >> (r - 1)), whose
 * last step (>> 1, SSAT's own shift) gives floor((h + 2^(r-1)) / 2^r) +
 * offset. Two instructions a value where the other takes four, and an LSL
 * per channel; the compiler's narrow bound for such layers (|x| < 2^29,
 * r <= 22) keeps it in int32. */
static inline int32_t kiln_requantize_narrow_relu_halves(int32_t x2, int32_t multiplier, int32_t right_shift_m1,
                                                         int32_t halves_offset) {
  return kiln_smmlar(x2, multiplier, (int32_t)((uint32_t)halves_offset << right_shift_m1)) >> right_shift_m1;
}

/* kiln_requantize_narrow(x) + offset where what follows clamps every value
 * below the offset up to at least it (ReLU, ReLU6: the clamp's lower bound at
 * or above the output offset). TFLite's two roundings are then one floor:
 * with h = floor((x m + 2^30) / 2^31) (its rounding high multiply, m >= 0)
 * and r the right shift, its rounding divide is floor((h + 2^(r-1) - (h <
 * 0)) / 2^r); the (h < 0) tie-break can change only values <= 0, which the
 * clamp lifts to its bound either way. Without it, the two steps and the
 * offset are floor((x m + 2^30 + 2^(30+r) + offset 2^(31+r)) / 2^(31+r)) =
 * (MULHSU(2x, 2m) + `rounding`) >> `shift`, with rounding = 1 + (2 offset +
 * 1) 2^r and shift = r + 1, constants the compiler computes per channel
 * (kiln/rv32_common.h): three instructions on RV32 against nine. The
 * compiler's narrow bound (|x| < 2^29, r <= 22) keeps the sum in int32. */
static inline int32_t kiln_requantize_narrow_relu(int32_t x2, uint32_t multiplier2, int32_t rounding, int32_t shift) {
  return ((int32_t)(((int64_t)x2 * (int64_t)multiplier2) >> 32) + rounding) >> shift;
}

static inline int32_t kiln_requantize_narrow_doubled(int32_t x2, int32_t multiplier, int32_t right_shift_m1) {
  return (kiln_requantize_narrow_halves(x2, multiplier, right_shift_m1) + 1) >> 1;
}

static inline int32_t kiln_requantize_narrow(int32_t x, int32_t multiplier, int32_t right_shift_m1) {
  return kiln_requantize_narrow_doubled((int32_t)((uint32_t)x << 1), multiplier, right_shift_m1);
}

/* x * multiplier * 2^(shift-31) rounded once, ties to even, saturated to
 * int32: ONNX's requantization (QLinearConv, QLinearMatMul, QDQ models), whose
 * reference multiplies by the float scale and rounds half to even. The
 * product is formed exactly in 64 bits, so with a multiplier that encodes a
 * float32 scale exactly (QuantizeMultiplier of a float32 value is exact) the
 * result equals the real product rounded half to even. */
static inline int32_t kiln_multiply_round_half_even(int32_t x, int32_t multiplier, int shift) {
  const int64_t product = (int64_t)x * (int64_t)multiplier; /* |product| <= 2^62 */
  const int right_shift = 31 - shift;
  uint64_t magnitude = product < 0 ? (uint64_t)0 - (uint64_t)product : (uint64_t)product;
  uint64_t quotient;
  if (right_shift <= 0) {
    /* Multipliers >= 1: only saturation can round. */
    quotient = right_shift < -31 || magnitude > ((uint64_t)1 << 31) >> (-right_shift)
                   ? ((uint64_t)1 << 31)
                   : magnitude << (-right_shift);
  } else if (right_shift > 62) {
    quotient = 0; /* |value| < 1/2 */
  } else {
    const uint64_t half = (uint64_t)1 << (right_shift - 1);
    const uint64_t remainder = magnitude & (((uint64_t)1 << right_shift) - 1);
    quotient = magnitude >> right_shift;
    if (remainder > half || (remainder == half && (quotient & 1u) != 0)) ++quotient;
  }
  if (product < 0) return quotient >= ((uint64_t)1 << 31) ? INT32_MIN : -(int32_t)quotient;
  return quotient >= ((uint64_t)1 << 31) ? INT32_MAX : (int32_t)quotient;
}

/* Requantization of an int32 accumulator: TFLite's (round_half_even == 0) or
 * ONNX's (round_half_even != 0), see above. */
static inline int32_t kiln_requantize_acc(int32_t x, int32_t multiplier, int shift,
                                          int32_t round_half_even) {
  return round_half_even ? kiln_multiply_round_half_even(x, multiplier, shift)
                         : kiln_multiply_by_quantized_multiplier(x, multiplier, shift);
}

static inline int32_t kiln_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

/* kiln_clamp_i32 of a 64-bit value: a sum that could leave int32 first. */
static inline int32_t kiln_clamp_i64(int64_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : (int32_t)x);
}

/* kiln_clamp_i32(x, -128, 127): one SSAT where the core has it (written out,
 * so that the compiler cannot merge it with a neighbouring general clamp). */
static inline int32_t kiln_saturate_s8(int32_t x) {
#if defined(__ARM_FEATURE_SAT) && __ARM_FEATURE_SAT
  int32_t r;
  __asm__("ssat %0, #8, %1" : "=r"(r) : "r"(x));
  return r;
#else
  /* One unsigned range test on the common path (three instructions on RV32
   * against two compares and branches with their constants). */
  if ((uint32_t)x + 128u > 255u) x = (x >> 31) ^ 127;
  return x;
#endif
}

/* kiln_saturate_s8(x >> 1): one SSAT with its shift. */
static inline int32_t kiln_saturate_s8_halves(int32_t x) {
#if defined(__ARM_FEATURE_SAT) && __ARM_FEATURE_SAT
  int32_t r;
  __asm__("ssat %0, #8, %1, asr #1" : "=r"(r) : "r"(x));
  return r;
#else
  return kiln_saturate_s8(x >> 1);
#endif
}

#endif /* KILN_FIXEDPOINT_H_ */
