/* gemm_s8_tiled: the int8 matrix multiply (kiln/gemm.h) as a loop nest
 * whose tiling is data: rows x channels per tile (1-4 each), depth blocks of
 * four per loop turn (1, 2 or 4), the loop order, whether weights are int16
 * at compile time or int8 split by SXTB16 at run time, and whether each row
 * tile is widened to int16 into scratch first or in registers per block.
 * The "gemm_tiled" schedule, whose knobs `kiln tune` searches
 * (docs/tuning.md, "Search spaces generated from the loop nest"): in the
 * shape-specialised copies the tiling is a constant, so the compiler unrolls
 * the tile into registers. With the DSP extension its multiplies are SMLADs;
 * elsewhere kiln/simd.h computes the same in portable C. Bit-exact with
 * TFLite's reference kernels. */
#ifndef KILN_KERNELS_GEMM_S8_TILED_H_
#define KILN_KERNELS_GEMM_S8_TILED_H_

#include "kiln/gemm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest tile side. */
#define KILN_GEMM_TILED_MAX 4

typedef struct {
  /* The multiply; `gemm.depth` a multiple of 4, `gemm.weights` in the
   * "tiles" layout, one stream of words: channels in tiles of `tile_cols`
   * (then the cols % tile_cols last ones in tiles of one), per tile its
   * biases (kiln/gemm.h's folded bias), then per block of four depth values
   * and channel of the tile either (int16_weights) two words, the int16
   * pairs (w[k], w[k+2]) and (w[k+1], w[k+3]), or one word, w[k..k+3], then
   * its requantization pairs (as kiln/gemm.h's `requant`). `gemm.bias` and
   * `gemm.requant` are unused (NULL): one pointer walks the tile. */
  kiln_gemm_s8_params_t gemm;
  /* Input rows (pixels) and channels per tile, 1 to 4; rows left over
   * run in tiles of one row. */
  int32_t tile_rows, tile_cols;
  /* Depth blocks of four per turn of the innermost loop: 1, 2 or 4. */
  int32_t unroll;
  /* The weights' layout (above). */
  int32_t int16_weights;
  /* 1: each row tile is widened to int16 into the scratch once, for all
   * channel tiles (needs cols_outer 0); 0: widened in registers, per tile. */
  int32_t widen_rows;
  /* 1: channel tiles in the outer loop, row tiles in the inner one. */
  int32_t cols_outer;
  /* 1: each half block's loads (rows and weights) first, together, then its
   * multiplies; 0: each weight word loaded beside its multiplies. */
  int32_t hoist_loads;
} kiln_gemm_s8_tiled_params_t;

/* The scratch with widen_rows: a row tile widened, 4-byte aligned. */
#define KILN_GEMM_S8_TILED_SCRATCH_BYTES(tile_rows, depth) (2 * (tile_rows) * (depth))

/* input [rows, depth] int8; output [rows, cols] int8. */
void kiln_gemm_s8_tiled(const kiln_gemm_s8_tiled_params_t* params, const int8_t* input, int32_t rows,
                        int8_t* output, void* scratch);
void kiln_gemm_s8_tiled_narrow(const kiln_gemm_s8_tiled_params_t* params, const int8_t* input, int32_t rows,
                               int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GEMM_S8_TILED_H_ */
