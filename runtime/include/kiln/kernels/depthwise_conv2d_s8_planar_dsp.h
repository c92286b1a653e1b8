/* depthwise_conv2d_s8_planar_dsp: int8 DEPTHWISE_CONV_2D with any depth
 * multiplier, a 3x3 filter, stride 1 or 2 across and any stride down, no
 * dilation; NHWC. One output channel at a time: the input channel is copied
 * into a plane of int8 padded with the input zero point (the scratch; one
 * plane serves the channel's depth_multiplier outputs), so that two
 * horizontally neighbouring output pixels read one word of each filter row
 * (at stride 1), which SXTB16 splits into int16 pairs shared by both: eight
 * instructions (one load, two SXTB16, the row's weight words, SMLAD and
 * SMLAxy) per filter row and two outputs, against weights expanded to int16 at
 * compile time; at stride 2 the second output (x2, x3, x4) takes x2 and x3
 * from the same halves and x4 as a byte, nine instructions. At stride 1
 * both ways rows go in pairs as 2x2 blocks: a row both output rows read is
 * loaded and split once, and each weight word loaded once for four outputs.
 * The channel's requantization constants stay in registers for the whole
 * plane. The input offset is folded into the bias; padded taps read the
 * zero point. Bit-exact with TFLite's reference kernel. */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_DSP_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_DSP_H_

#include <stdint.h>

#include "kiln/depthwise_s8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The parameters (kiln/depthwise_s8.h; the window's filter_h, filter_w,
 * dilation_h and dilation_w are 3, 3, 1, 1 here, stride_w 1 or 2), the weights per
 * channel five words: the int16 pairs (w0, w2) of filter rows 0, 1 and 2,
 * then (w1 of row 0, w1 of row 1) and (w1 of row 2, 0), the multiply
 * picking the half. */
typedef kiln_depthwise_s8_params_t kiln_depthwise_conv2d_s8_planar_dsp_params_t;

/* The scratch: `planes` planes (kiln/depthwise_plane.h), each
 * KILN_DEPTHWISE_PLANE_BYTES: with four, four input channels are copied at
 * once, a pixel's word of four channels transposed in registers. */

/* input [N, H, W, C] int8; output [N, OH, OW, C] int8. */
void kiln_depthwise_conv2d_s8_planar_dsp(const kiln_depthwise_conv2d_s8_planar_dsp_params_t* params,
                                         const int8_t* input, int8_t* output, void* scratch);
void kiln_depthwise_conv2d_s8_planar_dsp_narrow(const kiln_depthwise_conv2d_s8_planar_dsp_params_t* params,
                                                const int8_t* input, int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_DSP_H_ */
