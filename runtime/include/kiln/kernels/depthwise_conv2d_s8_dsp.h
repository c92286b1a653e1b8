/* depthwise_conv2d_s8_dsp: int8 DEPTHWISE_CONV_2D with depth multiplier 1,
 * NHWC, four channels per step with the DSP extension: one word holds a
 * tap's four input channels, SXTB16 splits it into int16 pairs, and
 * SMLABB/SMLATT accumulate each channel with weights pre-expanded to int16
 * at compile time. The input offset is folded into the bias; padded taps read
 * the input zero point. Bit-exact with TFLite's reference kernel. Built
 * without the DSP extension, kiln/simd.h computes the same in portable C:
 * that is the "depthwise" schedule of non-DSP targets. */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S8_DSP_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S8_DSP_H_

#include <stdint.h>

#include "kiln/depthwise_s8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The parameters (kiln/depthwise_s8.h), the weights in the "quads"
 * layout: for each block of 4 channels c..c+3 (the last block padded with
 * zero weights), for each tap in [KH, KW] order, two words: int16 pairs
 * (w_c, w_c+2) and (w_c+1, w_c+3). */
typedef kiln_depthwise_s8_params_t kiln_depthwise_conv2d_s8_dsp_params_t;

/* input [N, H, W, C] int8; output [N, OH, OW, C] int8. */
void kiln_depthwise_conv2d_s8_dsp(const kiln_depthwise_conv2d_s8_dsp_params_t* params,
                                  const int8_t* input, int8_t* output);
void kiln_depthwise_conv2d_s8_dsp_narrow(const kiln_depthwise_conv2d_s8_dsp_params_t* params,
                                         const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S8_DSP_H_ */
