/* reduce_bool: REDUCE_ALL (logical and) and REDUCE_ANY (logical or) of a
 * bool tensor over any set of axes, as TFLite's reduce kernels: an empty
 * reduction gives true for ALL and false for ANY; any non-zero byte is
 * true, and the outputs are 0 or 1. */
#ifndef KILN_KERNELS_REDUCE_BOOL_H_
#define KILN_KERNELS_REDUCE_BOOL_H_

#include <stdint.h>

#include "kiln/reduce.h"

#ifdef __cplusplus
extern "C" {
#endif

/* kiln/reduce.h; op KILN_REDUCE_ALL or KILN_REDUCE_ANY. */
typedef kiln_reduce_params_t kiln_reduce_bool_params_t;

/* input: bool bytes, input_dims; output: [num_outputs] (must not overlap the input). */
void kiln_reduce_bool(const kiln_reduce_bool_params_t* params, const uint8_t* input, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_REDUCE_BOOL_H_ */
