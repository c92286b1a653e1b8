/* depthwise_conv2d_s16: 16x8 depthwise 2-D convolution (DEPTHWISE_CONV_2D
 * with int16 activations and int8 weights), NHWC, per-channel
 * requantization, bit-exact with TFLite's
 * reference_integer_ops::DepthwiseConvPerChannel for int16 (which always
 * accumulates in 64 bits and takes an int64 bias). */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S16_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S16_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time parameters. Output channel c * depth_multiplier + m is input
 * channel c filtered by filter channel c * depth_multiplier + m. */
typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t depth_multiplier;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  /* Leading (top/left) zero padding, as TFLite's ComputePaddingHeightWidth. */
  int32_t pad_h, pad_w;
  /* Fused activation clamp. */
  int32_t act_min, act_max;
  /* [output_c] fixed-point multipliers and shifts (shift > 0: left). */
  const int32_t* output_multiplier;
  const int32_t* output_shift;
} kiln_depthwise_conv2d_s16_params_t;

/* input  [batches, input_h, input_w, input_c] int16
 * filter [1, filter_h, filter_w, output_c] int8
 * bias   [output_c] int64, or NULL
 * output [batches, output_h, output_w, output_c] int16 */
void kiln_depthwise_conv2d_s16(const kiln_depthwise_conv2d_s16_params_t* params, const int16_t* input,
                               const int8_t* filter, const int64_t* bias, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S16_H_ */
