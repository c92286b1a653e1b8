/* l2_pool2d_f32: L2_POOL_2D on float32: the square root of the mean of the
 * squares of the window's in-bounds elements, clamped to the activation
 * range; TFLite's reference_ops::L2Pool. */
#ifndef KILN_KERNELS_L2_POOL2D_F32_H_
#define KILN_KERNELS_L2_POOL2D_F32_H_

#include <stdint.h>

#include "kiln/pool2d.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_pool2d_float_params_t kiln_l2_pool2d_f32_params_t;

/* input: [batches, input_height, input_width, depth] float32;
 * output: [batches, output_height, output_width, depth] float32. */
void kiln_l2_pool2d_f32(const kiln_l2_pool2d_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_L2_POOL2D_F32_H_ */
