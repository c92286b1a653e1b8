/* What the softmaxes share: the row maximum that both subtract before
 * exponentiating (so expf never overflows), in TFLite's order; for int8
 * (softmax_s8, log_softmax_s8), TFLite's exp of each difference in Q5.26
 * and their sum in Q12.19. C99. */
#ifndef KILN_SOFTMAX_COMMON_H_
#define KILN_SOFTMAX_COMMON_H_

#include <float.h>
#include <stdint.h>

#include "kiln/gemmlowp_fixedpoint.h"

/* max(row[0..depth)), or -FLT_MAX for an empty row or one of NaNs. */
static inline float kiln_row_max_f32(const float* row, int32_t depth) {
  float max = -FLT_MAX;
  int32_t c;
  for (c = 0; c < depth; ++c)
    if (row[c] > max) max = row[c];
  return max;
}

/* Integer bits of the int8 softmaxes' scaled differences and of their sum. */
#define KILN_SOFTMAX_SCALED_DIFF_INTEGER_BITS 5
#define KILN_SOFTMAX_ACCUMULATION_INTEGER_BITS 12

/* max(row[0..depth)) of int8 values, -128 for an empty row. */
static inline int32_t kiln_row_max_s8(const int8_t* row, int32_t depth) {
  int32_t max = -128, c;
  for (c = 0; c < depth; ++c)
    if (row[c] > max) max = row[c];
  return max;
}

/* A difference (<= 0, >= diff_min) in Q5.26: diff * multiplier * 2^shift
 * (MultiplyByQuantizedMultiplierGreaterThanOne; diff_min keeps the shifted
 * difference within int32). */
static inline int32_t kiln_softmax_scaled_diff_s8(int32_t diff, int32_t multiplier, int32_t left_shift) {
  return kiln_sat_rounding_doubling_high_mul((int32_t)((uint32_t)diff << left_shift), multiplier);
}

/* The Q12.19 sum of exp over the row's differences from `max` at or above
 * diff_min. */
static inline int32_t kiln_softmax_sum_of_exps_s8(const int8_t* row, int32_t depth, int32_t max, int32_t multiplier,
                                                  int32_t left_shift, int32_t diff_min) {
  int32_t sum = 0, c;
  for (c = 0; c < depth; ++c) {
    const int32_t diff = (int32_t)row[c] - max;
    if (diff >= diff_min)
      sum = kiln_gemmlowp_add(
          sum, kiln_gemmlowp_mul_by_pot(kiln_gemmlowp_exp_on_negative_values(
                                            kiln_softmax_scaled_diff_s8(diff, multiplier, left_shift),
                                            KILN_SOFTMAX_SCALED_DIFF_INTEGER_BITS),
                                        -KILN_SOFTMAX_ACCUMULATION_INTEGER_BITS));
  }
  return sum;
}

#endif /* KILN_SOFTMAX_COMMON_H_ */
