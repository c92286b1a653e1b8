/* conv2d_s8_direct_rv32: int8 CONV_2D (one group, no dilation across), NHWC,
 * for small windows on RV32 (31 registers, no multiply-accumulate): the
 * strip of kiln/conv_strip.h, each pixel's window read in place from it
 * (halfword loads need no more alignment than int16 has), three pixels by
 * four output channels per step, twelve sums in registers; a row's last two
 * pixels as a pair, a last one alone. Bit-exact with TFLite's reference
 * kernel. */
#ifndef KILN_KERNELS_CONV2D_S8_DIRECT_RV32_H_
#define KILN_KERNELS_CONV2D_S8_DIRECT_RV32_H_

#include <stdint.h>

#include "kiln/conv_strip.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The params (kiln/conv_strip.h): weights in the "channel quads" layout
 * (kiln/kernels/gemm_s8_rv32.h) of the window's order (kx, then ky, then
 * input channel): per group of four channels and depth step, the four
 * weights, int8, the depth padded with zeros to a multiple of 4. The
 * scratch is the strip alone, KILN_CONV_STRIP_BYTES. */
void kiln_conv2d_s8_direct_rv32(const kiln_conv2d_s8_direct_params_t* params, const int8_t* input, int8_t* output,
                                void* scratch);
void kiln_conv2d_s8_direct_rv32_narrow(const kiln_conv2d_s8_direct_params_t* params, const int8_t* input,
                                       int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CONV2D_S8_DIRECT_RV32_H_ */
