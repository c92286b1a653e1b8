/* squared_difference_f32: float32 SQUARED_DIFFERENCE: (a - b) * (a - b); numpy broadcasting. */
#ifndef KILN_KERNELS_SQUARED_DIFFERENCE_F32_H_
#define KILN_KERNELS_SQUARED_DIFFERENCE_F32_H_

#include "kiln/binary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_f32_params_t kiln_squared_difference_f32_params_t;

/* a, b: as params->shape describes; output: float32, the broadcast shape. */
void kiln_squared_difference_f32(const kiln_squared_difference_f32_params_t* params, const float* a, const float* b, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SQUARED_DIFFERENCE_F32_H_ */
