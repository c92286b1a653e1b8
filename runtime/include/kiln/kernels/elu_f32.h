/* elu_f32: float32 ELU, with ONNX's alpha and scale (Selu):
 * x < 0 ? scale * (alpha * expm1f(x)) : scale * x. TFLite's ELU is alpha and
 * scale 1, where this is exactly x < 0 ? expm1f(x) : x. */
#ifndef KILN_KERNELS_ELU_F32_H_
#define KILN_KERNELS_ELU_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t size;
  float alpha;
  float scale;
} kiln_elu_f32_params_t;

/* input, output: [size] float32. */
void kiln_elu_f32(const kiln_elu_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ELU_F32_H_ */
