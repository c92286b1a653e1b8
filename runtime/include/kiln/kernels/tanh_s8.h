/* tanh_s8: TANH on int8, output scale 1/128 and zero point 0; bit-exact
 * with TFLite's reference_integer_ops::Tanh (input rescaled to Q4.27,
 * gemmlowp fixed-point tanh). */
#ifndef KILN_KERNELS_TANH_S8_H_
#define KILN_KERNELS_TANH_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Number of elements (any shape; elementwise). */
  int32_t size;
  int32_t input_zero_point;
  /* |x - zero_point| at or beyond this saturates the output. */
  int32_t input_range_radius;
  /* input_scale * 2^27 as multiplier * 2^(input_left_shift - 31). */
  int32_t input_multiplier;
  int32_t input_left_shift;
} kiln_tanh_s8_params_t;

/* input, output: [size] int8. */
void kiln_tanh_s8(const kiln_tanh_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_TANH_S8_H_ */
