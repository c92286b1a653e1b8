/* conv2d_s8_direct_dsp: int8 CONV_2D (one group), NHWC, for windows up to
 * a few hundred values (3x3x1 and 10x4x1 first layers, 3x3 layers of 16
 * to 64 channels). For each output row, the input it reaches is widened to
 * int16 once into a strip stored column by column (each image column's
 * filter_h rows, padded with the zero point), so that an output pixel's
 * window is one contiguous run of the strip: it is read in place, not
 * copied. Output pixels go in threes, every output channel two at a time:
 * per depth pair, one word of each window and one LDRD of the two
 * channels' weights (widened to int16 and put in the window's order at
 * compile time) feed six SMLADs, so each weight loaded serves three pixels.
 * Windows that cannot be read in place (dilation across, or odd columns at
 * odd offsets) are copied, three side by side. The im2col schedule pads
 * the window to a multiple of 8 and widens it again in the gemm; this one
 * pads to 4 and widens once. Bit-exact with TFLite's reference kernel. */
#ifndef KILN_KERNELS_CONV2D_S8_DIRECT_DSP_H_
#define KILN_KERNELS_CONV2D_S8_DIRECT_DSP_H_

#include <stdint.h>

#include "kiln/conv_strip.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The params (kiln/conv_strip.h): weights in the "int16 pair rows" layout:
 * each channel's row of weights in the window's order (kx, then ky, then
 * input channel), padded with zeros to a multiple of 4 and stored as int16
 * pairs (w[k], w[k+1]) in words; the channels in pairs (an odd last one
 * with a row of zeros), a pair's rows interleaved a word at a time. */

/* The scratch (4-byte aligned): the strip (KILN_CONV_STRIP_BYTES); then,
 * where windows are not read in place (they must start on a word), three
 * windows as int16, each the depth rounded up to 4 and a word of slack
 * (copies move words). The compiler sizes it with the same formulas
 * (src/kernels/gemm_lowering.cc, DirectScratchBytes). */
#define KILN_CONV2D_S8_DIRECT_DSP_IN_PLACE(stride_w, dilation_w, column) \
  ((dilation_w) == 1 && (stride_w) * (column) % 2 == 0)
#define KILN_CONV2D_S8_DIRECT_DSP_WINDOW_BYTES(depth) (2 * (((depth) + 3) / 4 * 4) + 4)
#define KILN_CONV2D_S8_DIRECT_DSP_WINDOWS 3
#define KILN_CONV2D_S8_DIRECT_DSP_SCRATCH_BYTES(strip_columns, column, in_place, depth) \
  (KILN_CONV_STRIP_BYTES(strip_columns, column) +                                    \
   ((in_place) ? 0 : KILN_CONV2D_S8_DIRECT_DSP_WINDOWS * KILN_CONV2D_S8_DIRECT_DSP_WINDOW_BYTES(depth)))

/* input [N, H, W, Ci] int8; output [N, OH, OW, Co] int8. The "_narrow"
 * entry point requantizes with kiln_requantize_narrow_doubled: its weights
 * and bias are doubled at compile time (kiln/gemm.h). */
void kiln_conv2d_s8_direct_dsp(const kiln_conv2d_s8_direct_params_t* params, const int8_t* input,
                               int8_t* output, void* scratch);
void kiln_conv2d_s8_direct_dsp_narrow(const kiln_conv2d_s8_direct_params_t* params, const int8_t* input,
                                      int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CONV2D_S8_DIRECT_DSP_H_ */
