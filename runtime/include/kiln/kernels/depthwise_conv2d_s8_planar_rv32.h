/* depthwise_conv2d_s8_planar_rv32: int8 DEPTHWISE_CONV_2D with any depth
 * multiplier, a 3x3 filter, stride 1 or 2 across and any stride down, no
 * dilation; NHWC; in portable C for a core with 31 registers and no
 * multiply-accumulate instruction (RV32IMAC). One output channel at a time,
 * from its input channel's plane padded with the input zero point
 * (kiln/depthwise_plane.h; one plane serves the channel's outputs): the
 * channel's nine weights, bias and requantization stay in registers for the
 * whole plane, and neighbouring outputs of a row share the loads of the
 * columns they read: two at stride 1 (12 loads for 18 multiply-accumulates),
 * four at stride 2 (27 for 36). The input offset is folded into the bias; padded taps read the
 * zero point. Bit-exact with TFLite's reference kernel. The
 * "depthwise_planar_rv32" schedule (docs/schedules.md). */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_RV32_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_RV32_H_

#include <stdint.h>

#include "kiln/depthwise_s8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The parameters (kiln/depthwise_s8.h); the weights per channel: the nine
 * taps row by row and a zero, as five words of int16 pairs (w0, w1), (w2,
 * w3) ... (w8, 0). The scratch: one plane, KILN_DEPTHWISE_PLANE_BYTES. */
typedef kiln_depthwise_s8_params_t kiln_depthwise_conv2d_s8_planar_rv32_params_t;

/* input [N, H, W, C] int8; output [N, OH, OW, C] int8. The "_narrow" entry
 * point takes weights and bias doubled (KILN_REQUANT_NARROW_DOUBLED,
 * kiln/gemm.h). */
void kiln_depthwise_conv2d_s8_planar_rv32(const kiln_depthwise_conv2d_s8_planar_rv32_params_t* params,
                                          const int8_t* input, int8_t* output, void* scratch);
void kiln_depthwise_conv2d_s8_planar_rv32_narrow(const kiln_depthwise_conv2d_s8_planar_rv32_params_t* params,
                                                 const int8_t* input, int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_RV32_H_ */
