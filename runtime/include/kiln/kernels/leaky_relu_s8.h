/* leaky_relu_s8: int8 LEAKY_RELU, bit-exact with TFLite's
 * reference_ops::QuantizeLeakyRelu. */
#ifndef KILN_KERNELS_LEAKY_RELU_S8_H_
#define KILN_KERNELS_LEAKY_RELU_S8_H_

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
} kiln_leaky_relu_s8_params_t;

/* input, output: int8, `count` elements, any shape. */
void kiln_leaky_relu_s8(const kiln_leaky_relu_s8_params_t* params, const int8_t* input,
                        int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LEAKY_RELU_S8_H_ */
