/* leaky_relu_s16: int16 LEAKY_RELU, bit-exact with TFLite's
 * reference_ops::QuantizeLeakyRelu. */
#ifndef KILN_KERNELS_LEAKY_RELU_S16_H_
#define KILN_KERNELS_LEAKY_RELU_S16_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
  int32_t input_zero_point;
  int32_t output_zero_point;
  /* input_scale / output_scale, applied where x - input_zero_point >= 0. */
  int32_t identity_multiplier;
  int32_t identity_shift;
  /* input_scale * alpha / output_scale, applied to negative inputs (alpha
   * may be negative or above 1). */
  int32_t alpha_multiplier;
  int32_t alpha_shift;
} kiln_leaky_relu_s16_params_t;

/* input, output: int16, `count` elements, any shape. */
void kiln_leaky_relu_s16(const kiln_leaky_relu_s16_params_t* params, const int16_t* input,
                        int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LEAKY_RELU_S16_H_ */
