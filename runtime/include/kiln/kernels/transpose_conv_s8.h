/* transpose_conv_s8: int8 transposed 2-D convolution (TRANSPOSE_CONV),
 * NHWC, per-channel requantization, bit-exact with TFLite's
 * reference_integer_ops::TransposeConv. Needs no scratch (kiln/transpose_conv.h). */
#ifndef KILN_KERNELS_TRANSPOSE_CONV_S8_H_
#define KILN_KERNELS_TRANSPOSE_CONV_S8_H_

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
  /* -input_zero_point, output_zero_point. */
  int32_t input_offset, output_offset;
  /* Fused activation clamp, in the output's quantized domain. */
  int32_t act_min, act_max;
  /* [output_c] fixed-point multipliers and shifts (shift > 0: left). */
  const int32_t* output_multiplier;
  const int32_t* output_shift;
} kiln_transpose_conv_s8_params_t;

/* input  [batches, input_h, input_w, input_c] int8
 * filter [output_c, filter_h, filter_w, input_c] int8
 * bias   [output_c] int32, or NULL
 * output [batches, output_h, output_w, output_c] int8 */
void kiln_transpose_conv_s8(const kiln_transpose_conv_s8_params_t* params, const int8_t* input,
                            const int8_t* filter, const int32_t* bias, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_TRANSPOSE_CONV_S8_H_ */
