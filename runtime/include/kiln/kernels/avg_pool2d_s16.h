/* avg_pool2d_s16: AVERAGE_POOL_2D on int16: mean of the window's in-bounds elements, rounded
 * to nearest with ties away from zero, clamped to the activation range;
 * bit-exact with TFLite's reference_integer_ops::AveragePool. */
#ifndef KILN_KERNELS_AVG_POOL2D_S16_H_
#define KILN_KERNELS_AVG_POOL2D_S16_H_

#include <stdint.h>

#include "kiln/pool2d.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_pool2d_int_params_t kiln_avg_pool2d_s16_params_t;

/* input: [batches, input_height, input_width, depth] int16;
 * output: [batches, output_height, output_width, depth] int16. */
void kiln_avg_pool2d_s16(const kiln_avg_pool2d_s16_params_t* params, const int16_t* input, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_AVG_POOL2D_S16_H_ */
