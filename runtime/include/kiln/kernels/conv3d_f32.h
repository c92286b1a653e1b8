/* conv3d_f32: float32 CONV_3D, NDHWC, as TFLite's reference Conv3D (the
 * same loop order, so the same sums): filter [KD, KH, KW, Ci / groups, Co]
 * (TFLite's DHWIO; groups split the channels as ONNX's Conv does), leading
 * pads given, windows reading outside the input skipping those taps, the
 * bias added last, then the fused activation's clamp. */
#ifndef KILN_KERNELS_CONV3D_F32_H_
#define KILN_KERNELS_CONV3D_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches;
  int32_t in_d, in_h, in_w, in_c;
  int32_t out_d, out_h, out_w, out_c;
  int32_t filter_d, filter_h, filter_w;
  int32_t stride_d, stride_h, stride_w;
  int32_t dilation_d, dilation_h, dilation_w;
  /* Padding in front of the first window along depth, height and width. */
  int32_t pad_d, pad_h, pad_w;
  int32_t groups;
  float activation_min, activation_max;
} kiln_conv3d_f32_params_t;

/* bias: [out_c], or NULL. */
void kiln_conv3d_f32(const kiln_conv3d_f32_params_t* params, const float* input, const float* filter,
                     const float* bias, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CONV3D_F32_H_ */
