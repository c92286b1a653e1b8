/* pow_f32: float32 POW: powf(a, b); numpy broadcasting. */
#ifndef KILN_KERNELS_POW_F32_H_
#define KILN_KERNELS_POW_F32_H_

#include "kiln/binary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_f32_params_t kiln_pow_f32_params_t;

/* a, b: as params->shape describes; output: float32, the broadcast shape. */
void kiln_pow_f32(const kiln_pow_f32_params_t* params, const float* a, const float* b, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_POW_F32_H_ */
