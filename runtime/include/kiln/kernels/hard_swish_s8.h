/* hard_swish_s8: int8 HARD_SWISH, bit-exact with TFLite's
 * reference_ops::HardSwish, which works in 16-bit fixed point. */
#ifndef KILN_KERNELS_HARD_SWISH_S8_H_
#define KILN_KERNELS_HARD_SWISH_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
  int32_t input_zero_point;
  int32_t output_zero_point;
  /* (input_scale / 128) / output_scale as a 16-bit fixed-point multiplier
   * and an exponent <= 0. */
  int32_t output_multiplier; /* int16 range */
  int32_t output_exponent;
  /* (input_scale / 128) / (3 / 32768): maps the input onto the scale where
   * 3.0 is 32768, as a 16-bit multiplier and an exponent of either sign. */
  int32_t reluish_multiplier; /* int16 range */
  int32_t reluish_exponent;
} kiln_hard_swish_s8_params_t;

/* input, output: int8, `count` elements, any shape. */
void kiln_hard_swish_s8(const kiln_hard_swish_s8_params_t* params, const int8_t* input,
                        int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_HARD_SWISH_S8_H_ */
