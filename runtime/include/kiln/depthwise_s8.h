/* The parameters of the fast int8 DEPTHWISE_CONV_2D kernels with depth
 * multiplier 1 (depthwise_conv2d_s8_dsp, depthwise_conv2d_s8_planar_dsp,
 * depthwise_conv2d_s8_planar_rv32), which differ only in their weight
 * layout. C99. */
#ifndef KILN_DEPTHWISE_S8_H_
#define KILN_DEPTHWISE_S8_H_

#include <stdint.h>

#include "kiln/conv_window.h"

typedef struct {
  /* The geometry (kiln/conv_window.h): input_c is the channel count of
   * input and output (depth multiplier 1); taps outside the image read
   * input_zero_point. */
  kiln_conv_window_t window;
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
