/* floor_div_f32: float32 FLOOR_DIV: floor(a / b), the quotient taken in double as TFLite's
 * reference FloorDiv does (an infinity when b is 0); numpy broadcasting. */
#ifndef KILN_KERNELS_FLOOR_DIV_F32_H_
#define KILN_KERNELS_FLOOR_DIV_F32_H_

#include "kiln/binary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_f32_params_t kiln_floor_div_f32_params_t;

/* a, b: as params->shape describes; output: float32, the broadcast shape. */
void kiln_floor_div_f32(const kiln_floor_div_f32_params_t* params, const float* a, const float* b, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_FLOOR_DIV_F32_H_ */
