/* prelu_f32: float32 PRELU: x >= 0 ? x : alpha * x, alpha (input b) broadcast onto x; numpy broadcasting. */
#ifndef KILN_KERNELS_PRELU_F32_H_
#define KILN_KERNELS_PRELU_F32_H_

#include "kiln/binary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_f32_params_t kiln_prelu_f32_params_t;

/* a, b: as params->shape describes; output: float32, the broadcast shape. */
void kiln_prelu_f32(const kiln_prelu_f32_params_t* params, const float* a, const float* b, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_PRELU_F32_H_ */
