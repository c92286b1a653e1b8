/* leaky_relu_f32: float32 LEAKY_RELU, x > 0 ? x : x * alpha. */
#ifndef KILN_KERNELS_LEAKY_RELU_F32_H_
#define KILN_KERNELS_LEAKY_RELU_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
  float alpha;
} kiln_leaky_relu_f32_params_t;

/* input, output: float32, `count` elements, any shape. */
void kiln_leaky_relu_f32(const kiln_leaky_relu_f32_params_t* params, const float* input,
                         float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LEAKY_RELU_F32_H_ */
