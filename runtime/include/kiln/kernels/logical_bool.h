/* logical_bool: LOGICAL_AND and LOGICAL_OR on bool with numpy broadcasting (any
 * non-zero byte is true; the output is 0 or 1). */
#ifndef KILN_KERNELS_LOGICAL_BOOL_H_
#define KILN_KERNELS_LOGICAL_BOOL_H_

#include <stdint.h>

#include "kiln/compare.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_compare_params_t kiln_logical_bool_params_t;
/* a, b: as params->shape describes; output: bool, the broadcast shape. */
void kiln_logical_bool(const kiln_logical_bool_params_t* params, const uint8_t* a, const uint8_t* b, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LOGICAL_BOOL_H_ */
