/* The one loop of the quantized RELU and RELU6 kernels, int8 and int16
 * (relu_s8, relu_s16), as TFLite Micro computes them: RELU requantizes from
 * the input to the output scale and clamps at the output's zero point;
 * RELU6 only clamps the input values to [zero, six] on the input's own
 * scale (TFLite Micro does not requantize RELU6). C99. */
#ifndef KILN_RELU_QUANTIZED_H_
#define KILN_RELU_QUANTIZED_H_

#include <stdint.h>

#include "kiln/fixedpoint.h"

typedef struct {
  int32_t count; /* number of elements */
  /* 1: output = clamp(output_zero_point + requant(x - input_zero_point));
   * 0: output = clamp(x). */
  int32_t requantize;
  int32_t input_zero_point;
  int32_t output_zero_point;
  /* input_scale / output_scale as a TFLite fixed-point multiplier. */
  int32_t multiplier;
  int32_t shift;
  int32_t activation_min;
  int32_t activation_max;
} kiln_relu_quantized_params_t;

/* The loop over elements of type `type` (int8_t or int16_t). */
#define KILN_RELU_QUANTIZED_ELEMENTS(params, input, output, type)                                           \
  do {                                                                                                      \
    const int32_t count_ = (params)->count, lo_ = (params)->activation_min, hi_ = (params)->activation_max; \
    int32_t i_;                                                                                             \
    if ((params)->requantize) {                                                                             \
      for (i_ = 0; i_ < count_; ++i_) {                                                                     \
        const int32_t v_ = (params)->output_zero_point +                                                    \
                           kiln_multiply_by_quantized_multiplier((int32_t)(input)[i_] -                     \
                                                                     (params)->input_zero_point,            \
                                                                 (params)->multiplier, (int)(params)->shift); \
        (output)[i_] = (type)kiln_clamp_i32(v_, lo_, hi_);                                                  \
      }                                                                                                     \
    } else {                                                                                                \
      for (i_ = 0; i_ < count_; ++i_) (output)[i_] = (type)kiln_clamp_i32((input)[i_], lo_, hi_);           \
    }                                                                                                       \
  } while (0)

#endif /* KILN_RELU_QUANTIZED_H_ */
