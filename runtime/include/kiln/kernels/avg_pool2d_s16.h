/* avg_pool2d_s16: AVERAGE_POOL_2D on int16: mean of the window's in-bounds elements, rounded
 * to nearest with ties away from zero, clamped to the activation range;
 * bit-exact with TFLite's reference_integer_ops::AveragePool. */
#ifndef KILN_KERNELS_AVG_POOL2D_S16_H_
#define KILN_KERNELS_AVG_POOL2D_S16_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches;
  int32_t input_height;
  int32_t input_width;
  int32_t depth;
  int32_t output_height;
  int32_t output_width;
  int32_t stride_height;
  int32_t stride_width;
  int32_t filter_height;
  int32_t filter_width;
  /* Rows/columns of implicit padding before the input (TFLite's
   * ComputePaddingHeightWidth); padded positions are skipped, not averaged. */
  int32_t padding_height;
  int32_t padding_width;
  /* Fused activation clamp, in output quantized units. */
  int32_t activation_min;
  int32_t activation_max;
} kiln_avg_pool2d_s16_params_t;

/* input: [batches, input_height, input_width, depth] int16;
 * output: [batches, output_height, output_width, depth] int16. */
void kiln_avg_pool2d_s16(const kiln_avg_pool2d_s16_params_t* params, const int16_t* input, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_AVG_POOL2D_S16_H_ */
