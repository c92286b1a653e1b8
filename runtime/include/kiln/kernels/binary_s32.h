/* binary_s32: int32 ADD, SUB, MUL, DIV, FLOOR_DIV, FLOOR_MOD, TRUNC_MOD, MAXIMUM,
 * MINIMUM (params->op), numpy broadcasting, on the raw values
 * (kiln/binary_int.h). */
#ifndef KILN_KERNELS_BINARY_S32_H_
#define KILN_KERNELS_BINARY_S32_H_

#include <stdint.h>

#include "kiln/binary_int.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_int_params_t kiln_binary_s32_params_t;

/* a, b: as params->shape describes; output: the broadcast shape. Returns
 * KILN_OK, or KILN_ERROR_DIVISION_BY_ZERO. */
int32_t kiln_binary_s32(const kiln_binary_s32_params_t* params, const int32_t* a, const int32_t* b, int32_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_BINARY_S32_H_ */
