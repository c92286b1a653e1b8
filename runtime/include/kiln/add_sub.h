/* The one loop of the quantized ADD, SUB and SQUARED_DIFFERENCE kernels,
 * int8 and int16 (add_s8, sub_s8, add_s16, squared_difference_s8 and _s16;
 * int16 SUB is add_s16 with input2's multiplier negated, as in TFLite
 * Micro): each input is offset, shifted left, rescaled onto twice the
 * larger input scale, added, subtracted or subtracted and squared, and
 * requantized to the output, in TFLite's exact order of roundings. C99. */
#ifndef KILN_ADD_SUB_H_
#define KILN_ADD_SUB_H_

#include <stdint.h>

#include "kiln/broadcast.h"
#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"

typedef struct {
  kiln_broadcast_t shape;
  /* Negated input zero points. */
  int32_t input1_offset;
  int32_t input2_offset;
  /* Both inputs are scaled up by 2^left_shift (ADD and SUB: 20 for int8,
   * 15 for int16, where 65535 << 15 still fits the int32 accumulator;
   * SQUARED_DIFFERENCE: 7 and 0, so that the square fits) before being
   * rescaled onto a common scale of 2 * max(input scales). */
  int32_t left_shift;
  int32_t input1_multiplier;
  int32_t input1_shift; /* <= 0 */
  int32_t input2_multiplier; /* negative for int16 SUB (see above) */
  int32_t input2_shift; /* <= 0 */
  int32_t output_multiplier;
  int32_t output_shift; /* <= 0, except for SQUARED_DIFFERENCE */
  int32_t output_offset; /* output zero point */
  int32_t activation_min;
  int32_t activation_max;
} kiln_add_sub_params_t;

/* One output value, clamped to the activation range; `sign` (a constant
 * where inlined) is 1 for ADD, -1 for SUB, 0 for SQUARED_DIFFERENCE. */
static KILN_ALWAYS_INLINE int32_t kiln_add_sub_one(const kiln_add_sub_params_t* p, int32_t x, int32_t y,
                                                   const int32_t sign) {
  const int32_t shifted1 = (p->input1_offset + x) * ((int32_t)1 << p->left_shift);
  const int32_t shifted2 = (p->input2_offset + y) * ((int32_t)1 << p->left_shift);
  /* The input shifts are <= 0, so the general multiplier routine performs
   * exactly TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp. */
  const int32_t scaled1 =
      kiln_multiply_by_quantized_multiplier(shifted1, p->input1_multiplier, (int)p->input1_shift);
  const int32_t scaled2 =
      kiln_multiply_by_quantized_multiplier(shifted2, p->input2_multiplier, (int)p->input2_shift);
  const int32_t combined = sign > 0   ? scaled1 + scaled2
                           : sign < 0 ? scaled1 - scaled2
                                      : (scaled1 - scaled2) * (scaled1 - scaled2);
  const int32_t raw =
      kiln_multiply_by_quantized_multiplier(combined, p->output_multiplier, (int)p->output_shift) + p->output_offset;
  return kiln_clamp_i32(raw, p->activation_min, p->activation_max);
}

/* output = a (+ or -) b over params->shape (flat, or numpy broadcasting),
 * elements of type `type` (int8_t or int16_t). A macro: C99 has no
 * templates, and this is the loop every variant shares. */
#define KILN_ADD_SUB_ELEMENTS(params, a, b, output, type, sign)                            \
  do {                                                                                     \
    const int32_t count_ = (params)->shape.count;                                          \
    int32_t i_;                                                                            \
    if ((params)->shape.flat) {                                                            \
      for (i_ = 0; i_ < count_; ++i_)                                                      \
        (output)[i_] = (type)kiln_add_sub_one((params), (a)[i_], (b)[i_], (sign));         \
    } else {                                                                               \
      kiln_broadcast_iter_t it_;                                                           \
      kiln_broadcast_iter_init(&it_);                                                      \
      for (i_ = 0; i_ < count_; ++i_) {                                                    \
        (output)[i_] = (type)kiln_add_sub_one((params), (a)[it_.a], (b)[it_.b], (sign));   \
        kiln_broadcast_iter_next(&it_, &(params)->shape);                                  \
      }                                                                                    \
    }                                                                                      \
  } while (0)

#endif /* KILN_ADD_SUB_H_ */
