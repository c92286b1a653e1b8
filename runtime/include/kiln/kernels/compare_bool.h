/* compare_bool: bool EQUAL and NOT_EQUAL with numpy broadcasting. */
#ifndef KILN_KERNELS_COMPARE_BOOL_H_
#define KILN_KERNELS_COMPARE_BOOL_H_

#include <stdint.h>

#include "kiln/compare.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_compare_params_t kiln_compare_bool_params_t;
/* a, b: as params->shape describes; output: bool, the broadcast shape. */
void kiln_compare_bool(const kiln_compare_bool_params_t* params, const uint8_t* a, const uint8_t* b, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_COMPARE_BOOL_H_ */
