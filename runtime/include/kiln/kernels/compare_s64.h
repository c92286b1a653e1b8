/* compare_s64: int64 comparisons (TFLite Micro's comparisons.cc has them) with numpy broadcasting. */
#ifndef KILN_KERNELS_COMPARE_S64_H_
#define KILN_KERNELS_COMPARE_S64_H_

#include <stdint.h>

#include "kiln/compare.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_compare_params_t kiln_compare_s64_params_t;
/* a, b: as params->shape describes; output: bool, the broadcast shape. */
void kiln_compare_s64(const kiln_compare_s64_params_t* params, const int64_t* a, const int64_t* b, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_COMPARE_S64_H_ */
