/* The float32 binary math kernels without a fused activation
 * (squared_difference_f32, floor_div_f32, floor_mod_f32, pow_f32,
 * prelu_f32): their one params struct. Their loop is
 * kiln_broadcast_binary_f32 with an infinite range, so nothing is clamped
 * (an infinity or a NaN passes through, as in TFLite's kernels). C99. */
#ifndef KILN_BINARY_F32_H_
#define KILN_BINARY_F32_H_

#include <math.h>

#include "kiln/broadcast.h"

typedef struct {
  kiln_broadcast_t shape;
} kiln_binary_f32_params_t;

#define KILN_BINARY_F32(params, a, b, output, op) \
  kiln_broadcast_binary_f32(&(params)->shape, (a), (b), (output), -INFINITY, INFINITY, (op))

#endif /* KILN_BINARY_F32_H_ */
