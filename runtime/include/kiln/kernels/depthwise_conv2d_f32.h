/* depthwise_conv2d_f32: float depthwise 2-D convolution (DEPTHWISE_CONV_2D),
 * NHWC, with the accumulation order of TFLite's reference_ops::DepthwiseConv. */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_F32_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_F32_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time parameters; channel mapping as in depthwise_conv2d_s8.h. */
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
  /* Fused activation clamp (+-FLT_MAX when none). */
  float act_min, act_max;
} kiln_depthwise_conv2d_f32_params_t;

/* input  [batches, input_h, input_w, input_c] float
 * filter [1, filter_h, filter_w, output_c] float
 * bias   [output_c] float, or NULL
 * output [batches, output_h, output_w, output_c] float */
void kiln_depthwise_conv2d_f32(const kiln_depthwise_conv2d_f32_params_t* params, const float* input,
                               const float* filter, const float* bias, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_F32_H_ */
