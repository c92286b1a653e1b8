/* The one loop of the quantized PRELU kernels (prelu_s8: int8 input and
 * alpha; prelu_s16: int16 input, int8 alpha), TFLite's
 * reference_ops::BroadcastPrelu4DSlow: x - zp_in requantized by
 * input_scale / output_scale where it is >= 0, else its product with
 * alpha - zp_alpha requantized by input_scale * alpha_scale / output_scale;
 * plus the output zero point, clamped to the type. C99. */
#ifndef KILN_PRELU_QUANTIZED_H_
#define KILN_PRELU_QUANTIZED_H_

#include <stdint.h>

#include "kiln/broadcast.h"
#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"

typedef struct {
  kiln_broadcast_t shape; /* input (a) against alpha (b) */
  int32_t input_offset;   /* minus the input's zero point */
  int32_t alpha_offset;   /* minus alpha's zero point */
  int32_t output_offset;  /* the output's zero point */
  int32_t multiplier_1, shift_1; /* input_scale / output_scale */
  int32_t multiplier_2, shift_2; /* input_scale * alpha_scale / output_scale */
} kiln_prelu_quantized_params_t;

static KILN_ALWAYS_INLINE int32_t kiln_prelu_quantized_one(const kiln_prelu_quantized_params_t* p, int32_t x,
                                                           int32_t alpha) {
  const int32_t v = p->input_offset + x;
  return p->output_offset +
         (v >= 0 ? kiln_multiply_by_quantized_multiplier(v, p->multiplier_1, (int)p->shift_1)
                 : kiln_multiply_by_quantized_multiplier(v * (p->alpha_offset + alpha), p->multiplier_2,
                                                         (int)p->shift_2));
}

/* output = prelu(x, alpha) over params->shape, x and output of type
 * `type` in [lo, hi], alpha int8. */
#define KILN_PRELU_QUANTIZED_ELEMENTS(params, x, alpha, output, type, lo, hi)                                     \
  do {                                                                                                            \
    const int32_t count_ = (params)->shape.count;                                                                 \
    int32_t i_;                                                                                                   \
    if ((params)->shape.flat) {                                                                                   \
      for (i_ = 0; i_ < count_; ++i_)                                                                             \
        (output)[i_] = (type)kiln_clamp_i32(kiln_prelu_quantized_one((params), (x)[i_], (alpha)[i_]), (lo), (hi)); \
    } else {                                                                                                      \
      kiln_broadcast_iter_t it_;                                                                                  \
      kiln_broadcast_iter_init(&it_);                                                                             \
      for (i_ = 0; i_ < count_; ++i_) {                                                                           \
        (output)[i_] =                                                                                            \
            (type)kiln_clamp_i32(kiln_prelu_quantized_one((params), (x)[it_.a], (alpha)[it_.b]), (lo), (hi));     \
        kiln_broadcast_iter_next(&it_, &(params)->shape);                                                         \
      }                                                                                                           \
    }                                                                                                             \
  } while (0)

#endif /* KILN_PRELU_QUANTIZED_H_ */
