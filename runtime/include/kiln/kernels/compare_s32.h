/* compare_s32: int32 comparisons with numpy broadcasting. */
#ifndef KILN_KERNELS_COMPARE_S32_H_
#define KILN_KERNELS_COMPARE_S32_H_

#include <stdint.h>

#include "kiln/compare.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_compare_params_t kiln_compare_s32_params_t;
/* a, b: as params->shape describes; output: bool, the broadcast shape. */
void kiln_compare_s32(const kiln_compare_s32_params_t* params, const int32_t* a, const int32_t* b, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_COMPARE_S32_H_ */
