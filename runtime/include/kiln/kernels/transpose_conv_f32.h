/* transpose_conv_f32: float32 transposed 2-D convolution (TRANSPOSE_CONV),
 * NHWC, bit-exact with TFLite's reference_ops::TransposeConv (each output
 * sums its inputs in the reference's order, kiln/transpose_conv.h). */
#ifndef KILN_KERNELS_TRANSPOSE_CONV_F32_H_
#define KILN_KERNELS_TRANSPOSE_CONV_F32_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time parameters, as kiln_transpose_conv_s8_params_t's geometry. */
typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t stride_h, stride_w;
  /* Leading padding, TFLite's ComputePaddingHeightWidth of the output size. */
  int32_t pad_h, pad_w;
  /* Fused activation clamp. */
  float act_min, act_max;
} kiln_transpose_conv_f32_params_t;

/* input  [batches, input_h, input_w, input_c]
 * filter [output_c, filter_h, filter_w, input_c]
 * bias   [output_c], or NULL
 * output [batches, output_h, output_w, output_c] */
void kiln_transpose_conv_f32(const kiln_transpose_conv_f32_params_t* params, const float* input,
                             const float* filter, const float* bias, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_TRANSPOSE_CONV_F32_H_ */
