/* The one loop of the quantized ABS kernels, int8 and int16 (abs_s8,
 * abs_s16), TFLite Micro's AbsEvalQuantized: |x - input zero point|,
 * rescaled when the scales differ, plus the output zero point, clamped to
 * the type. C99. */
#ifndef KILN_ABS_QUANTIZED_H_
#define KILN_ABS_QUANTIZED_H_

#include <stdint.h>

#include "kiln/fixedpoint.h"

typedef struct {
  int32_t count; /* number of elements */
  int32_t input_zero_point;
  int32_t output_zero_point;
  /* 1: the scales differ, |x - zp| is multiplied by input_scale /
   * output_scale (a TFLite fixed-point multiplier); 0: it is not. */
  int32_t rescale;
  int32_t multiplier;
  int32_t shift;
} kiln_abs_quantized_params_t;

/* The loop over elements of type `type` in [lo, hi]. */
#define KILN_ABS_QUANTIZED_ELEMENTS(params, input, output, type, lo, hi)                                  \
  do {                                                                                                    \
    int32_t i_;                                                                                           \
    for (i_ = 0; i_ < (params)->count; ++i_) {                                                            \
      const int32_t d_ = (int32_t)(input)[i_] - (params)->input_zero_point;                               \
      int32_t v_ = d_ < 0 ? -d_ : d_;                                                                     \
      if ((params)->rescale) v_ = kiln_multiply_by_quantized_multiplier(v_, (params)->multiplier,         \
                                                                        (int)(params)->shift);            \
      (output)[i_] = (type)kiln_clamp_i32(v_ + (params)->output_zero_point, (lo), (hi));                  \
    }                                                                                                     \
  } while (0)

#endif /* KILN_ABS_QUANTIZED_H_ */
