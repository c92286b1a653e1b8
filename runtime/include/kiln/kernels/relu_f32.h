/* relu_f32: float32 RELU (max(x, 0)) and RELU6 (min(max(x, 0), 6)). */
#ifndef KILN_KERNELS_RELU_F32_H_
#define KILN_KERNELS_RELU_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
  /* 1 for RELU6 (clamp above at 6), 0 for RELU (no upper bound at all, so
   * +inf stays +inf as in TFLite). */
  int32_t relu6;
} kiln_relu_f32_params_t;

/* input, output: float32, `count` elements, any shape. */
void kiln_relu_f32(const kiln_relu_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RELU_F32_H_ */
