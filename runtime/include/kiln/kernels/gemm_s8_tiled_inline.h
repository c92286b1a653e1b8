/* gemm_s8_tiled: see the header. Its body, every function inline: the
 * runtime's entry points (kernels/gemm_s8_tiled.c) and the shape-specialised
 * copies of generated code (docs/schedules.md) are both made of it. The
 * tile's loops run over constants in a shaped copy (the tiling is in the
 * params), so GCC unrolls them and the sums, an array here, live in
 * registers; the entry points run the same loops over the params' values. */
#ifndef KILN_KERNELS_GEMM_S8_TILED_INLINE_H_
#define KILN_KERNELS_GEMM_S8_TILED_INLINE_H_
#include "kiln/kernels/gemm_s8_tiled.h"

#include "kiln/gemm.h"
#include "kiln/runtime.h"
#include "kiln/simd.h"

/* Loops over a tile's rows, channels or unrolled blocks: at most 4 turns. */
#if defined(__GNUC__) && !defined(__clang__)
#define KILN_TILED_UNROLL _Pragma("GCC unroll 4")
#else
#define KILN_TILED_UNROLL
#endif

/* What a tile's loops read, fixed for the whole multiply. */
typedef struct {
  int32_t depth, cols, blocks;
  int32_t unroll, int16_weights, hoist_loads;
  /* Each channel's words in the stream: its weights, bias and requantization pair. */
  int32_t channel_words;
  kiln_gemm_s8_clamp_t clamp;
} kiln_gemm_tiled_shape_t;

/* Rows r0..r0+rows-1 (from `x`, depth apart) widened to int16 into
 * `widened`: per block of four, per row, the words SXTB16 makes of it. */
static KILN_ALWAYS_INLINE void kiln_gemm_tiled_widen(const kiln_gemm_tiled_shape_t* s, const int8_t* x, const int rows,
                                                     uint32_t* widened) {
  int32_t b, i;
  for (b = 0; b < s->blocks; ++b, x += 4) {
    KILN_TILED_UNROLL
    for (i = 0; i < rows; ++i) {
      const uint32_t word = kiln_read_s8x4(x + i * s->depth);
      widened[0] = kiln_sxtb16(word);
      widened[1] = kiln_sxtb16_ror8(word);
      widened += 2;
    }
  }
}

/* Block `u` of the turn: each row's four values (from `x`, or widened at
 * `xw`) times each channel's four weights (at `w`), in two halves: the even
 * values (x[k], x[k+2]) against (w[k], w[k+2]), then the odd ones. Either
 * each weight word is loaded where its multiplies need it (a half's row
 * words and one weight word live beside the sums), or (`hoist_loads`) a
 * half's loads all come first, kept together by a scheduling barrier, so
 * that the Cortex-M4 pipelines them: one cycle each after the first, where
 * a load between multiplies takes two (TRM table 3-1). */
static KILN_ALWAYS_INLINE void kiln_gemm_tiled_block(const kiln_gemm_tiled_shape_t* s, const int8_t* x,
                                                     const uint32_t* xw, const uint32_t* w, const int u, const int rows,
                                                     const int cols, const int widened,
                                                     int32_t acc[KILN_GEMM_TILED_MAX][KILN_GEMM_TILED_MAX]) {
  /* Zeros where a shaped copy's unrolled tile never looks (for the compiler's
   * warnings about the entry points' loops over the params' values). */
  uint32_t words[KILN_GEMM_TILED_MAX] = {0}, half[KILN_GEMM_TILED_MAX] = {0}, wh[KILN_GEMM_TILED_MAX] = {0};
  int32_t i, j, odd;
  if (!widened) {
    KILN_TILED_UNROLL
    for (i = 0; i < rows; ++i) words[i] = kiln_read_s8x4(x + i * s->depth + 4 * u);
  }
  KILN_TILED_UNROLL
  for (odd = 0; odd < 2; ++odd) {
    KILN_TILED_UNROLL
    for (i = 0; i < rows; ++i)
      half[i] = widened ? xw[2 * (u * rows + i) + odd] : odd ? kiln_sxtb16_ror8(words[i]) : kiln_sxtb16(words[i]);
    KILN_TILED_UNROLL
    for (j = 0; j < cols; ++j) {
      if (s->int16_weights) {
        wh[j] = w[2 * (u * cols + j) + odd];
      } else {
        const uint32_t word = w[u * cols + j];
        wh[j] = odd ? kiln_sxtb16_ror8(word) : kiln_sxtb16(word);
      }
      if (!s->hoist_loads) {
        KILN_TILED_UNROLL
        for (i = 0; i < rows; ++i) acc[i][j] = kiln_smlad(half[i], wh[j], acc[i][j]);
      }
    }
    if (s->hoist_loads) {
      KILN_SCHEDULE_BARRIER();
      KILN_TILED_UNROLL
      for (j = 0; j < cols; ++j) {
        KILN_TILED_UNROLL
        for (i = 0; i < rows; ++i) acc[i][j] = kiln_smlad(half[i], wh[j], acc[i][j]);
      }
      KILN_SCHEDULE_BARRIER();
    }
  }
}

/* One tile: `rows` x `cols` (constants in a shaped copy) from row 0 at `x`
 * (or its widened copy `xw`), the tile's stream at `w` (its biases, weights
 * and requantization pairs); outputs from `out` (row 0, the tile's first
 * channel), rows s->cols apart. */
static KILN_ALWAYS_INLINE void kiln_gemm_tiled_tile(const kiln_gemm_tiled_shape_t* s, const int8_t* x,
                                                    const uint32_t* xw, const uint32_t* w, int8_t* out, const int rows,
                                                    const int cols, const int widened, const int mode) {
  int32_t acc[KILN_GEMM_TILED_MAX][KILN_GEMM_TILED_MAX] = {{0}};
  const int32_t unroll = s->unroll;
  const int32_t block_words = (s->int16_weights ? 2 : 1) * cols;
  int32_t b, i, j, u;
  KILN_TILED_UNROLL
  for (j = 0; j < cols; ++j) {
    const int32_t bias = (int32_t)w[j];
    KILN_TILED_UNROLL
    for (i = 0; i < rows; ++i) acc[i][j] = bias;
  }
  w += cols;
  for (b = s->blocks; b >= unroll; b -= unroll) {
    KILN_TILED_UNROLL
    for (u = 0; u < unroll; ++u) kiln_gemm_tiled_block(s, x, xw, w, u, rows, cols, widened, acc);
    x += 4 * unroll;
    if (widened) xw += 2 * rows * unroll;
    w += block_words * unroll;
  }
  for (; b > 0; --b) { /* blocks left over by the unrolled turns */
    kiln_gemm_tiled_block(s, x, xw, w, 0, rows, cols, widened, acc);
    x += 4;
    if (widened) xw += 2 * rows;
    w += block_words;
  }
#define KILN_TILED_STORE(full_range)                                                            \
  KILN_TILED_UNROLL                                                                             \
  for (j = 0; j < cols; ++j) {                                                                  \
    const int32_t m = (int32_t)w[2 * j], sh = (int32_t)w[2 * j + 1];                            \
    KILN_TILED_UNROLL                                                                           \
    for (i = 0; i < rows; ++i)                                                                  \
      out[i * s->cols + j] = kiln_gemm_s8_output(s->clamp, acc[i][j], m, sh, mode, full_range); \
  }
  if (s->clamp.full_range) {
    KILN_TILED_STORE(1)
  } else {
    KILN_TILED_STORE(0)
  }
#undef KILN_TILED_STORE
}

/* Every channel tile of a row tile of `rows` rows from `x`. */
static KILN_ALWAYS_INLINE void kiln_gemm_tiled_row_tile(const kiln_gemm_tiled_shape_t* s, const int8_t* x,
                                                        uint32_t* scratch, const uint32_t* weights, int8_t* out,
                                                        const int rows, const int tile_cols, const int widen,
                                                        const int mode) {
  /* The tiles' end computed, not reached by the loop: with constant sizes
   * the compiler then sees that no tile is left over. */
  const int32_t tiled = s->cols - s->cols % tile_cols;
  const uint32_t* w = weights;
  int32_t n;
  if (widen) kiln_gemm_tiled_widen(s, x, rows, scratch);
  for (n = 0; n < tiled; n += tile_cols, w += tile_cols * s->channel_words)
    kiln_gemm_tiled_tile(s, x, scratch, w, out + n, rows, tile_cols, widen, mode);
  for (; n < s->cols; ++n, w += s->channel_words) kiln_gemm_tiled_tile(s, x, scratch, w, out + n, rows, 1, widen, mode);
}

/* Every row tile of a channel tile of `cols` channels from `n`. */
static KILN_ALWAYS_INLINE void kiln_gemm_tiled_col_tile(const kiln_gemm_tiled_shape_t* s, const int8_t* input,
                                                        int32_t rows, const uint32_t* w, int32_t n, int8_t* output,
                                                        const int tile_rows, const int cols, const int mode) {
  const int32_t tiled = rows - rows % tile_rows;
  int32_t r;
  for (r = 0; r < tiled; r += tile_rows)
    kiln_gemm_tiled_tile(s, input + r * s->depth, NULL, w, output + r * s->cols + n, tile_rows, cols, 0, mode);
  for (; r < rows; ++r)
    kiln_gemm_tiled_tile(s, input + r * s->depth, NULL, w, output + r * s->cols + n, 1, cols, 0, mode);
}

static KILN_ALWAYS_INLINE void kiln_gemm_tiled(const kiln_gemm_s8_tiled_params_t* params, const int8_t* input,
                                               int32_t rows, int8_t* output, void* scratch, const int narrow) {
  /* A local copy: the int8 stores may alias anything. */
  const kiln_gemm_s8_tiled_params_t p = *params;
  const uint32_t* const weights = (const uint32_t*)(const void*)p.gemm.weights;
  /* Narrow layers with int16 weights take them (and the bias) doubled. */
  const int mode = !narrow ? KILN_REQUANT_FULL : p.int16_weights ? KILN_REQUANT_NARROW_DOUBLED : KILN_REQUANT_NARROW;
  kiln_gemm_tiled_shape_t s;
  s.depth = p.gemm.depth;
  s.cols = p.gemm.cols;
  s.blocks = p.gemm.depth >> 2;
  s.unroll = p.unroll;
  s.int16_weights = p.int16_weights;
  s.hoist_loads = p.hoist_loads;
  s.channel_words = (p.int16_weights ? 2 : 1) * s.blocks + 3;
  s.clamp = kiln_gemm_s8_clamp(p.gemm.output_offset, p.gemm.act_min, p.gemm.act_max);
  if (p.cols_outer) {
    const int32_t tiled = s.cols - s.cols % p.tile_cols;
    const uint32_t* w = weights;
    int32_t n;
    for (n = 0; n < tiled; n += p.tile_cols, w += p.tile_cols * s.channel_words)
      kiln_gemm_tiled_col_tile(&s, input, rows, w, n, output, p.tile_rows, p.tile_cols, mode);
    for (; n < s.cols; ++n, w += s.channel_words)
      kiln_gemm_tiled_col_tile(&s, input, rows, w, n, output, p.tile_rows, 1, mode);
  } else {
    uint32_t* const widened = (uint32_t*)scratch;
    const int32_t tiled = rows - rows % p.tile_rows;
    int32_t r;
    for (r = 0; r < tiled; r += p.tile_rows)
      kiln_gemm_tiled_row_tile(&s, input + r * s.depth, widened, weights, output + r * s.cols, p.tile_rows, p.tile_cols,
                               p.widen_rows, mode);
    for (; r < rows; ++r)
      kiln_gemm_tiled_row_tile(&s, input + r * s.depth, widened, weights, output + r * s.cols, 1, p.tile_cols,
                               p.widen_rows, mode);
  }
}

/* The entry points' bodies (kiln/kernels/gemm_s8_tiled.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_gemm_s8_tiled_inline(const kiln_gemm_s8_tiled_params_t* params, const int8_t* input,
                                                         int32_t rows, int8_t* output, void* scratch) {
  kiln_gemm_tiled(params, input, rows, output, scratch, 0);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_tiled_narrow_inline(const kiln_gemm_s8_tiled_params_t* params,
                                                                const int8_t* input, int32_t rows, int8_t* output,
                                                                void* scratch) {
  kiln_gemm_tiled(params, input, rows, output, scratch, 1);
}

#undef KILN_TILED_UNROLL

#endif /* KILN_KERNELS_GEMM_S8_TILED_INLINE_H_ */
