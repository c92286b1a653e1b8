/* binary_f64: float64 (ONNX's double) ADD, SUB, MUL, DIV, FLOOR_DIV,
 * FLOOR_MOD, TRUNC_MOD, MAXIMUM and MINIMUM (params->op, a KILN_BINARY_OP_*
 * code), numpy broadcasting, no activation. As numpy computes them: DIV is
 * IEEE division, FLOOR_DIV floor(a / b), FLOOR_MOD fmod moved onto b's sign,
 * TRUNC_MOD fmod; MAXIMUM and MINIMUM give NaN where an operand is NaN. */
#ifndef KILN_KERNELS_BINARY_F64_H_
#define KILN_KERNELS_BINARY_F64_H_

#include <stdint.h>

#include "kiln/binary_op.h"
#include "kiln/broadcast.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_broadcast_t shape;
  /* A KILN_BINARY_OP_* code. */
  int32_t op;
} kiln_binary_f64_params_t;

/* a, b: as params->shape describes; output: the broadcast shape. */
void kiln_binary_f64(const kiln_binary_f64_params_t* params, const double* a, const double* b, double* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_BINARY_F64_H_ */
