/* binary_u8: uint8 ADD, SUB, MUL, DIV, FLOOR_DIV, FLOOR_MOD, TRUNC_MOD, MAXIMUM,
 * MINIMUM (params->op), numpy broadcasting, on the raw values
 * (kiln/binary_int.h). */
#ifndef KILN_KERNELS_BINARY_U8_H_
#define KILN_KERNELS_BINARY_U8_H_

#include <stdint.h>

#include "kiln/binary_int.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_binary_int_params_t kiln_binary_u8_params_t;

/* a, b: as params->shape describes; output: the broadcast shape. Returns
 * KILN_OK, or KILN_ERROR_DIVISION_BY_ZERO. */
int32_t kiln_binary_u8(const kiln_binary_u8_params_t* params, const uint8_t* a, const uint8_t* b, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_BINARY_U8_H_ */
