/* transpose_conv_s16: 16x8 transposed 2-D convolution (TRANSPOSE_CONV with
 * int16 activations and int8 weights), NHWC, per-channel requantization,
 * bit-exact with TFLite's reference_integer_ops::TransposeConv for int16
 * (a 64-bit accumulator and its requantization, kiln/s16x8.h). Needs no
 * scratch (kiln/transpose_conv.h). */
#ifndef KILN_KERNELS_TRANSPOSE_CONV_S16_H_
#define KILN_KERNELS_TRANSPOSE_CONV_S16_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time parameters. Input pixel (iy, ix) reaches output rows
 * iy * stride_h - pad_h + fy for filter rows fy (columns likewise). */
typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w;
  /* Leading padding, TFLite's ComputePaddingHeightWidth of the output size. */
  int32_t pad_h, pad_w;
  /* Fused activation clamp, in the output's quantized domain. */
  int32_t act_min, act_max;
  /* [output_c] fixed-point multipliers and shifts (shift > 0: left). */
  const int32_t* output_multiplier;
  const int32_t* output_shift;
} kiln_transpose_conv_s16_params_t;

/* input  [batches, input_h, input_w, input_c] int16 (zero point 0)
 * filter [output_c, filter_h, filter_w, input_c] int8
 * bias   [output_c] int64 (an int16 bias widened at compile time), or NULL
 * output [batches, output_h, output_w, output_c] int16 (zero point 0) */
void kiln_transpose_conv_s16(const kiln_transpose_conv_s16_params_t* params, const int16_t* input,
                             const int8_t* filter, const int64_t* bias, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_TRANSPOSE_CONV_S16_H_ */
