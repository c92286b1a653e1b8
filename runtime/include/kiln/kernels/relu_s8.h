/* relu_s8: int8 RELU and RELU6 as TFLite Micro computes them. RELU
 * requantizes from the input to the output scale and clamps at the output's
 * zero point; RELU6 only clamps the input values to [zero, six] on the
 * input's own scale (TFLM does not requantize RELU6). */
#ifndef KILN_KERNELS_RELU_S8_H_
#define KILN_KERNELS_RELU_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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
} kiln_relu_s8_params_t;

/* input, output: int8, `count` elements, any shape. */
void kiln_relu_s8(const kiln_relu_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RELU_S8_H_ */
