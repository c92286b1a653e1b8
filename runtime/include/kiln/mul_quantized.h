/* The one loop of the quantized MUL kernels, int8 and int16 (mul_s8,
 * mul_s16), TFLite's reference_integer_ops::MulElementwise: the product of
 * the zero-point-corrected inputs (at most 2^30 for int16, so it fits
 * int32) requantized once to the output scale, offset and clamped. C99. */
#ifndef KILN_MUL_QUANTIZED_H_
#define KILN_MUL_QUANTIZED_H_

#include <stdint.h>

#include "kiln/broadcast.h"
#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"

typedef struct {
  kiln_broadcast_t shape;
  /* Negated input zero points (0 for int16). */
  int32_t input1_offset;
  int32_t input2_offset;
  /* scale_a * scale_b / scale_out as a TFLite fixed-point multiplier. */
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t output_offset; /* output zero point */
  int32_t activation_min;
  int32_t activation_max;
} kiln_mul_quantized_params_t;

static KILN_ALWAYS_INLINE int32_t kiln_mul_quantized_one(const kiln_mul_quantized_params_t* p, int32_t x,
                                                         int32_t y) {
  const int32_t product = (p->input1_offset + x) * (p->input2_offset + y);
  const int32_t raw =
      p->output_offset + kiln_multiply_by_quantized_multiplier(product, p->output_multiplier, (int)p->output_shift);
  return kiln_clamp_i32(raw, p->activation_min, p->activation_max);
}

/* output = a * b over params->shape (flat, or numpy broadcasting), elements
 * of type `type` (int8_t or int16_t). */
#define KILN_MUL_QUANTIZED_ELEMENTS(params, a, b, output, type)                  \
  do {                                                                           \
    const int32_t count_ = (params)->shape.count;                                \
    int32_t i_;                                                                  \
    if ((params)->shape.flat) {                                                  \
      for (i_ = 0; i_ < count_; ++i_)                                            \
        (output)[i_] = (type)kiln_mul_quantized_one((params), (a)[i_], (b)[i_]); \
    } else {                                                                     \
      kiln_broadcast_iter_t it_;                                                 \
      kiln_broadcast_iter_init(&it_);                                            \
      for (i_ = 0; i_ < count_; ++i_) {                                          \
        (output)[i_] = (type)kiln_mul_quantized_one((params), (a)[it_.a], (b)[it_.b]); \
        kiln_broadcast_iter_next(&it_, &(params)->shape);                        \
      }                                                                          \
    }                                                                            \
  } while (0)

#endif /* KILN_MUL_QUANTIZED_H_ */
