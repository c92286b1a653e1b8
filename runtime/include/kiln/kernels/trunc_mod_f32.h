/* trunc_mod_f32: float32 TRUNC_MOD: fmodf(a, b), the remainder with the sign
 * of a (ONNX's Mod with fmod=1; NaN when b is 0); numpy broadcasting. */
#ifndef KILN_KERNELS_TRUNC_MOD_F32_H_
#define KILN_KERNELS_TRUNC_MOD_F32_H_

#include "kiln/binary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_f32_params_t kiln_trunc_mod_f32_params_t;

/* a, b: as params->shape describes; output: float32, the broadcast shape. */
void kiln_trunc_mod_f32(const kiln_trunc_mod_f32_params_t* params, const float* a, const float* b, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_TRUNC_MOD_F32_H_ */
