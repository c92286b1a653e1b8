/* compare_f32: float32 EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL
 * with numpy broadcasting, as TFLite's reference comparisons (a NaN compares
 * unequal to everything). */
#ifndef KILN_KERNELS_COMPARE_F32_H_
#define KILN_KERNELS_COMPARE_F32_H_

#include <stdint.h>

#include "kiln/compare.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_compare_params_t kiln_compare_f32_params_t;
/* a, b: as params->shape describes; output: bool, the broadcast shape. */
void kiln_compare_f32(const kiln_compare_f32_params_t* params, const float* a, const float* b, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_COMPARE_F32_H_ */
