/* conv2d_s8: int8 2-D convolution (CONV_2D), NHWC, per-channel requantization,
 * bit-exact with TFLite's reference_integer_ops::ConvPerChannel. */
#ifndef KILN_KERNELS_CONV2D_S8_H_
#define KILN_KERNELS_CONV2D_S8_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time parameters. Grouped convolution is allowed: the filter's
 * depth `filter_c` may divide `input_c`; groups = input_c / filter_c and each
 * group owns output_c / groups consecutive output channels. */
typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w, filter_c;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  /* Leading (top/left) zero padding, as TFLite's ComputePaddingHeightWidth. */
  int32_t pad_h, pad_w;
  /* -input_zero_point. */
  int32_t input_offset;
  /* -filter_zero_point: 0 for TFLite's symmetric weights; ONNX's uint8
   * weights (shifted to int8) may have one zero point for all channels. */
  int32_t filter_offset;
  /* output_zero_point. */
  int32_t output_offset;
  /* Fused activation clamp, in the output's quantized domain. */
  int32_t act_min, act_max;
  /* 0: TFLite's requantization (bit-exact with its reference kernels);
   * 1: ONNX's, one rounding half to even (kiln_multiply_round_half_even). */
  int32_t round_half_even;
  /* [output_c] fixed-point multipliers and shifts (shift > 0: left). */
  const int32_t* output_multiplier;
  const int32_t* output_shift;
} kiln_conv2d_s8_params_t;

/* input  [batches, input_h, input_w, input_c] int8
 * filter [output_c, filter_h, filter_w, filter_c] int8 (zero point -filter_offset)
 * bias   [output_c] int32, or NULL
 * output [batches, output_h, output_w, output_c] int8 */
void kiln_conv2d_s8(const kiln_conv2d_s8_params_t* params, const int8_t* input,
                    const int8_t* filter, const int32_t* bias, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CONV2D_S8_H_ */
