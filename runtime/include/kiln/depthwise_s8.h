/* The parameters of the fast int8 DEPTHWISE_CONV_2D kernels
 * (depthwise_conv2d_s8_dsp, depthwise_conv2d_s8_planar_dsp,
 * depthwise_conv2d_s8_planar_rv32), which differ only in their weight
 * layout. C99. */
#ifndef KILN_DEPTHWISE_S8_H_
#define KILN_DEPTHWISE_S8_H_

#include <stdint.h>

#include "kiln/conv_window.h"

typedef struct {
  /* The geometry (kiln/conv_window.h); taps outside the image read
   * input_zero_point. */
  kiln_conv_window_t window;
  /* Output channels per input channel: input channel c feeds outputs
   * c * depth_multiplier ... (c + 1) * depth_multiplier - 1. The planar
   * kernels take any; depthwise_conv2d_s8_dsp only 1. */
  int32_t depth_multiplier;
  /* depthwise_conv2d_s8_planar_dsp: the planes its scratch holds, 1 or 4
   * (kiln/depthwise_plane.h); 1 for the other kernels, which ignore it. */
  int32_t planes;
  int32_t output_offset;
  int32_t act_min, act_max;
  /* Int16 weights in the layout of the kernel's header. */
  const uint32_t* weights;
  /* [C] bias + input_offset * sum of the channel's weights. For the
   * "_narrow" entry point the weights and this bias are doubled
   * (KILN_REQUANT_NARROW_DOUBLED, kiln/gemm.h). */
  const int32_t* bias;
  /* [C] requantization pairs (multiplier, shift) as kiln_gemm_s8_params_t's
   * (kiln/gemm.h). */
  const int32_t* requant;
} kiln_depthwise_s8_params_t;

#endif /* KILN_DEPTHWISE_S8_H_ */
