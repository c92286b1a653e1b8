/* floor_mod_f32: float32 FLOOR_MOD: fmodf(a, b), moved onto the sign of b as TFLite's
 * reference FloorMod does (NaN when b is 0); numpy broadcasting. */
#ifndef KILN_KERNELS_FLOOR_MOD_F32_H_
#define KILN_KERNELS_FLOOR_MOD_F32_H_

#include "kiln/binary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_f32_params_t kiln_floor_mod_f32_params_t;

/* a, b: as params->shape describes; output: float32, the broadcast shape. */
void kiln_floor_mod_f32(const kiln_floor_mod_f32_params_t* params, const float* a, const float* b, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_FLOOR_MOD_F32_H_ */
