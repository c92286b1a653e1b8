/* conv2d_s16: 16x8 2-D convolution (CONV_2D with int16 activations and int8
 * weights), NHWC, per-channel requantization, bit-exact with TFLite's
 * reference_integer_ops::ConvPerChannel for int16. */
#ifndef KILN_KERNELS_CONV2D_S16_H_
#define KILN_KERNELS_CONV2D_S16_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time parameters. Grouped convolution as in conv2d_s8: groups =
 * input_c / filter_c, each owning output_c / groups output channels. The
 * zero points are 0 (TFLite's 16x8 scheme), so there are no offsets. */
typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w, filter_c;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  /* Leading (top/left) zero padding, as TFLite's ComputePaddingHeightWidth. */
  int32_t pad_h, pad_w;
  /* Fused activation clamp. */
  int32_t act_min, act_max;
  /* KILN_S16X8_ACC32 or KILN_S16X8_ACC64 (kiln/s16x8.h): the bias's width. */
  int32_t accumulator;
  /* [output_c] fixed-point multipliers and shifts (shift > 0: left). */
  const int32_t* output_multiplier;
  const int32_t* output_shift;
} kiln_conv2d_s16_params_t;

/* input  [batches, input_h, input_w, input_c] int16
 * filter [output_c, filter_h, filter_w, filter_c] int8
 * bias   [output_c] int32 or int64 (as params->accumulator says), or NULL
 * output [batches, output_h, output_w, output_c] int16 */
void kiln_conv2d_s16(const kiln_conv2d_s16_params_t* params, const int16_t* input,
                     const int8_t* filter, const void* bias, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CONV2D_S16_H_ */
