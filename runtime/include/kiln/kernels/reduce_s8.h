/* reduce_s8: int8 REDUCE_MAX and REDUCE_MIN over any set of axes, on the
 * raw values (TFLite Micro requires the input's and the output's
 * quantization to be equal), as TFLite's ReduceGeneric. */
#ifndef KILN_KERNELS_REDUCE_S8_H_
#define KILN_KERNELS_REDUCE_S8_H_

#include <stdint.h>

#include "kiln/reduce.h"

#ifdef __cplusplus
extern "C" {
#endif

/* kiln/reduce.h; op KILN_REDUCE_MAX or KILN_REDUCE_MIN. */
typedef kiln_reduce_params_t kiln_reduce_s8_params_t;

/* input: int8, input_dims; output: [num_outputs] int8 (must not overlap the input). */
void kiln_reduce_s8(const kiln_reduce_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_REDUCE_S8_H_ */
