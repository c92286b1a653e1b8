/* max_pool2d_s8: MAX_POOL_2D on int8: maximum of the window's in-bounds elements,
 * clamped to the activation range; TFLite's reference_integer_ops::MaxPool. */
#ifndef KILN_KERNELS_MAX_POOL2D_S8_H_
#define KILN_KERNELS_MAX_POOL2D_S8_H_

#include <stdint.h>

#include "kiln/pool2d.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_pool2d_int_params_t kiln_max_pool2d_s8_params_t;

/* input: [batches, input_height, input_width, depth] int8;
 * output: [batches, output_height, output_width, depth] int8. */
void kiln_max_pool2d_s8(const kiln_max_pool2d_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MAX_POOL2D_S8_H_ */
