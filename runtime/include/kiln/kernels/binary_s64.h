/* binary_s64: int64 ADD, SUB, MUL, DIV, FLOOR_DIV, FLOOR_MOD, TRUNC_MOD, MAXIMUM,
 * MINIMUM (params->op), numpy broadcasting, on the raw values
 * (kiln/binary_int.h). */
#ifndef KILN_KERNELS_BINARY_S64_H_
#define KILN_KERNELS_BINARY_S64_H_

#include <stdint.h>

#include "kiln/binary_int.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_int_params_t kiln_binary_s64_params_t;

/* a, b: as params->shape describes; output: the broadcast shape. Returns
 * KILN_OK, or KILN_ERROR_DIVISION_BY_ZERO. */
int32_t kiln_binary_s64(const kiln_binary_s64_params_t* params, const int64_t* a, const int64_t* b, int64_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_BINARY_S64_H_ */
