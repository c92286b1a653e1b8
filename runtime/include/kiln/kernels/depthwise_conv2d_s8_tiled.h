/* depthwise_conv2d_s8_tiled: int8 DEPTHWISE_CONV_2D of depth multiplier 1,
 * NHWC, channels a multiple of 4, as a loop nest whose tiling is data:
 * output pixels along a row per tile (1-4), channel quads per tile (1 or
 * 2), whether the weights are int16 at compile time or int8 split by SXTB16
 * at run time, whether each tap's loads come first, together, and whether
 * the input rows each row of outputs reads are first copied with their
 * padding into scratch (then every pixel is an interior one) or border
 * pixels test each tap. The "depthwise_tiled" schedule, whose knobs `kiln
 * tune --auto-schedule` searches (docs/tuning.md): in the shape-specialised
 * copies the tiling is a constant, so the compiler unrolls the tile into
 * registers. With the DSP extension its multiplies are SMLABB/SMLATT;
 * elsewhere kiln/simd.h computes the same in portable C. Taps outside the
 * image read the input zero point, which the folded bias cancels exactly.
 * Bit-exact with TFLite's reference kernel. */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S8_TILED_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S8_TILED_H_

#include <stdint.h>

#include "kiln/depthwise_s8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest tile, and the tallest filter the kernel takes. */
#define KILN_DEPTHWISE_TILED_MAX_PIXELS 4
#define KILN_DEPTHWISE_TILED_MAX_QUADS 2
#define KILN_DEPTHWISE_TILED_MAX_FILTER_H 8

typedef struct {
  /* The layer (kiln/depthwise_s8.h), depth_multiplier 1; `dw.weights` one
   * stream of words: channels in blocks of 4 * tile_quads (then the quads
   * left over in blocks of one), per block its biases (the folded bias),
   * then per tap in [KH, KW] order and quad of the block either
   * (int16_weights) two words, the int16 pairs (w_c, w_c+2) and (w_c+1,
   * w_c+3), or one word, w_c..w_c+3, then its requantization pairs (as
   * kiln/gemm.h's `requant`). `dw.bias` and `dw.requant` are unused (NULL):
   * one pointer walks the block. */
  kiln_depthwise_s8_params_t dw;
  /* Output pixels along a row, and channel quads, per tile. */
  int32_t tile_pixels, tile_quads;
  /* The weights' layout (above). */
  int32_t int16_weights;
  /* 1: each tap's input words and weight words loaded together, then its
   * multiplies; 0: each pixel's input word beside its multiplies. */
  int32_t hoist_loads;
  /* 1: for each output row, the filter's input rows copied with their
   * padding into scratch (KILN_DEPTHWISE_S8_TILED_SCRATCH_BYTES), one
   * after another, so that every tap is a fixed offset from its window's
   * first; 0: read in place, border pixels one at a time, testing each
   * tap. */
  int32_t pad_copy;
  /* 1: the taps unrolled; 0: a loop. */
  int32_t unroll_taps;
} kiln_depthwise_conv2d_s8_tiled_params_t;

/* The rows of pad_copy: one per filter row, each as wide as the outputs'
 * windows reach. */
#define KILN_DEPTHWISE_S8_TILED_SCRATCH_BYTES(filter_h, filter_w, dilation_w, output_w, stride_w, channels) \
  (filter_h) * (((output_w) - 1) * (stride_w) + ((filter_w) - 1) * (dilation_w) + 1) * (channels)

/* input [N, H, W, C] int8; output [N, OH, OW, C] int8; scratch as above
 * with pad_copy, else unused. */
void kiln_depthwise_conv2d_s8_tiled(const kiln_depthwise_conv2d_s8_tiled_params_t* params, const int8_t* input,
                                    int8_t* output, void* scratch);
void kiln_depthwise_conv2d_s8_tiled_narrow(const kiln_depthwise_conv2d_s8_tiled_params_t* params,
                                           const int8_t* input, int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S8_TILED_H_ */
