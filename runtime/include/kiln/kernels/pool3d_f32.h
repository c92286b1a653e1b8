/* pool3d_f32: float32 MAX_POOL_3D and AVERAGE_POOL_3D, NDHWC, as TFLite's
 * pooling3d kernels: over each window's elements inside the input (leading
 * pads given), the maximum or the mean (the sum divided by their count),
 * then the fused activation's clamp. */
#ifndef KILN_KERNELS_POOL3D_F32_H_
#define KILN_KERNELS_POOL3D_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches, channels;
  int32_t in_d, in_h, in_w;
  int32_t out_d, out_h, out_w;
  int32_t filter_d, filter_h, filter_w;
  int32_t stride_d, stride_h, stride_w;
  /* Padding in front of the first window along depth, height and width. */
  int32_t pad_d, pad_h, pad_w;
  /* 1: the mean (AVERAGE_POOL_3D); 0: the maximum (MAX_POOL_3D). */
  int32_t average;
  float activation_min, activation_max;
} kiln_pool3d_f32_params_t;

void kiln_pool3d_f32(const kiln_pool3d_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_POOL3D_F32_H_ */
