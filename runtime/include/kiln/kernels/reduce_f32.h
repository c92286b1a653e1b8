/* reduce_f32: float32 SUM, REDUCE_MAX and REDUCE_MIN over any set of axes,
 * as TFLite's ReduceGeneric: each output starts at 0 (SUM), the lowest
 * float (MAX) or the highest (MIN), and takes the input in row-major order;
 * MAX and MIN replace the output only when strictly greater (smaller), so a
 * NaN never wins. */
#ifndef KILN_KERNELS_REDUCE_F32_H_
#define KILN_KERNELS_REDUCE_F32_H_

#include <stdint.h>

#include "kiln/reduce.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_reduce_params_t kiln_reduce_f32_params_t; /* kiln/reduce.h */

/* input: float32, input_dims; output: [num_outputs] float32 (the
 * accumulator: it must not overlap the input). */
void kiln_reduce_f32(const kiln_reduce_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_REDUCE_F32_H_ */
