/* gemm_s8_dsp: the int8 matrix multiply of kiln/gemm.h with the DSP
 * extension. Two input rows at a time are first widened into the scratch:
 * SXTB16 splits each word of four int8 values into its even and odd bytes as
 * int16 pairs, once per row rather than once per output channel (the
 * "_in_registers" entry points, for long rows where RAM matters more, take
 * no scratch and widen each block in registers for every channel pair
 * instead). Each block of four depth steps of two rows and two output
 * channels takes four words of widened input, one word of each channel's
 * weights split the same way (so the pairs line up without reordering), and
 * eight SMLADs (sixteen multiply-accumulates); the loop runs two blocks per
 * iteration. The weights of two output channels are
 * interleaved at compile time ("pairs" layout, kiln/gemm.h) and the depth is
 * padded to a multiple of 8 with zero weights, so there is no tail loop.
 * The "_wide" entry points read weights widened at compile time ("wide
 * pairs"): four words per block, no SXTB16, 28 instructions per 32
 * multiply-accumulates with the loads paired into LDRDs; each channel
 * pair's bias leads its words and its requantization follows them, so one
 * pointer walks all three (kiln/gemm.h). An odd last row
 * (a fully connected layer at batch 1) runs alone, two channels at a time. */
#ifndef KILN_KERNELS_GEMM_S8_DSP_INLINE_H_
#define KILN_KERNELS_GEMM_S8_DSP_INLINE_H_
#include "kiln/kernels/gemm_s8_dsp.h"

#include <stddef.h>

#include "kiln/simd.h"

/* One block of rows a0 and a1 widened: the words (a0 even, a1 even, a0
 * odd, a1 odd). */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_widen_block(const int8_t* a0, const int8_t* a1, int32_t count,
                                                         uint32_t* out) {
  const uint32_t w0 = kiln_read_s8x4_tail(a0, count), w1 = kiln_read_s8x4_tail(a1, count);
  out[0] = kiln_sxtb16(w0);
  out[1] = kiln_sxtb16(w1);
  out[2] = kiln_sxtb16_ror8(w0);
  out[3] = kiln_sxtb16_ror8(w1);
}

/* Rows a0 and a1 widened, zeros past the depth up to `padded`. */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_widen_rows(const int8_t* a0, const int8_t* a1, int32_t depth,
                                                        int32_t padded,
                                          uint32_t* out) {
  int32_t k;
  for (k = 0; k < depth; k += 4, a0 += 4, a1 += 4, out += 4) kiln_gemm_dsp_widen_block(a0, a1, depth - k, out);
  for (; k < padded; k += 4, out += 4) out[0] = out[1] = out[2] = out[3] = 0;
}

/* acc0 += row 0 . w and acc1 += row 1 . w over the half (even or odd bytes)
 * of a block whose widened input words are x[0] (row 0) and x[1] (row 1);
 * w_half is the weights' half, split by SXTB16 the same way. */
#define KILN_HALF_BLOCK(acc0, acc1, x, w_half)     \
  do {                                             \
    const uint32_t w_ = (w_half);                  \
    acc0 = kiln_smlad((x)[0], w_, acc0);           \
    acc1 = kiln_smlad((x)[1], w_, acc1);           \
  } while (0)

/* One block of two rows and two channels: x the block's widened input, w
 * the two channels' weight words. The even halves, then the odd: two input
 * words live at a time. */
#define KILN_BLOCK2x2(acc00, acc01, acc10, acc11, x, w)              \
  do {                                                               \
    const uint32_t wa_ = (w)[0], wb_ = (w)[1];                       \
    KILN_HALF_BLOCK(acc00, acc10, (x), kiln_sxtb16(wa_));            \
    KILN_HALF_BLOCK(acc01, acc11, (x), kiln_sxtb16(wb_));            \
    KILN_HALF_BLOCK(acc00, acc10, (x) + 2, kiln_sxtb16_ror8(wa_));   \
    KILN_HALF_BLOCK(acc01, acc11, (x) + 2, kiln_sxtb16_ror8(wb_));   \
  } while (0)

/* Half a block (the even or the odd halves) with the weights widened at
 * compile time: words i, i+1 of x (rows 0 and 1) and of w (channels 0 and
 * 1), one LDRD each, four SMLADs. The barrier keeps GCC from hoisting the
 * next loads, which would take more registers than the core has. */
#define KILN_HALF2x2_WIDE(acc00, acc01, acc10, acc11, x, w, i) \
  do {                                                         \
    uint32_t x0_, x1_, w0_, w1_;                               \
    KILN_READ_U32X2((x), (i), x0_, x1_);                       \
    KILN_READ_U32X2((w), (i), w0_, w1_);                       \
    acc00 = kiln_smlad(x0_, w0_, acc00);                       \
    acc10 = kiln_smlad(x1_, w0_, acc10);                       \
    acc01 = kiln_smlad(x0_, w1_, acc01);                       \
    acc11 = kiln_smlad(x1_, w1_, acc11);                       \
    __asm__ __volatile__("" ::: "memory");                     \
  } while (0)

/* One block of one row against a channel pair: x_e and x_o the row's
 * widened even and odd halves; the weights as the layout gives them. */
#define KILN_BLOCK1x2(acc0, acc1, x_e, x_o, wa_e, wb_e, wa_o, wb_o) \
  do {                                                            \
    acc0 = kiln_smlad((x_e), (wa_e), acc0);                       \
    acc1 = kiln_smlad((x_e), (wb_e), acc1);                       \
    acc0 = kiln_smlad((x_o), (wa_o), acc0);                       \
    acc1 = kiln_smlad((x_o), (wb_o), acc1);                       \
  } while (0)

/* Block k of a single row as its even and odd int16 halves: from the
 * widened scratch `x` (the row as row 0 of a pair), or widened here. */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_row_block(const int8_t* a0, const uint32_t* x, int32_t depth, int32_t k,
                                         const int widen, uint32_t* x_e, uint32_t* x_o) {
  if (widen) {
    *x_e = x[4 * k];
    *x_o = x[4 * k + 2];
  } else {
    const uint32_t raw = kiln_read_s8x4_tail(a0 + 4 * k, depth - 4 * k);
    *x_e = kiln_sxtb16(raw);
    *x_o = kiln_sxtb16_ror8(raw);
  }
}

/* Channels n..n+3 of a single row widened in registers: each block of
 * four input values is widened once for two channel pairs ("pairs" layout:
 * the second pair's weights `pair_words` after the first's), and only the
 * last block, when the depth is not a multiple of 4, reads a tail. */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_row_four_channels(const int8_t* a0, int32_t depth, const uint32_t* w,
                                                 int32_t pair_words, int32_t* acc) {
  const uint32_t* wb = w + pair_words;
  int32_t acc0 = acc[0], acc1 = acc[1], acc2 = acc[2], acc3 = acc[3];
  int32_t k;
  uint32_t raw;
#define KILN_FOUR_CHANNEL_BLOCK(raw)                                                                             \
  do {                                                                                                          \
    const uint32_t x_e = kiln_sxtb16(raw), x_o = kiln_sxtb16_ror8(raw);                                         \
    uint32_t wa, wc;                                                                                            \
    KILN_READ_U32X2(w, 0, wa, wc);                                                                              \
    KILN_BLOCK1x2(acc0, acc1, x_e, x_o, kiln_sxtb16(wa), kiln_sxtb16(wc), kiln_sxtb16_ror8(wa),                 \
                  kiln_sxtb16_ror8(wc));                                                                        \
    KILN_READ_U32X2(wb, 0, wa, wc);                                                                             \
    KILN_BLOCK1x2(acc2, acc3, x_e, x_o, kiln_sxtb16(wa), kiln_sxtb16(wc), kiln_sxtb16_ror8(wa),                 \
                  kiln_sxtb16_ror8(wc));                                                                        \
  } while (0)
  for (k = depth >> 2; k > 0; --k, a0 += 4, w += 2, wb += 2) {
    raw = kiln_read_s8x4(a0);
    KILN_FOUR_CHANNEL_BLOCK(raw);
  }
  if ((depth & 3) != 0) {
    raw = kiln_read_s8x4_tail(a0, depth & 3);
    KILN_FOUR_CHANNEL_BLOCK(raw);
  }
#undef KILN_FOUR_CHANNEL_BLOCK
  acc[0] = acc0;
  acc[1] = acc1;
  acc[2] = acc2;
  acc[3] = acc3;
}

/* The last row when the row count is odd (every row of a fully connected
 * layer at batch 1): computed once, where the two-row loop would compute
 * it twice. `x` is the row widened into the scratch (as row 0 of a pair)
 * when `widen`, else each block is widened in registers, once for four
 * channels. */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_single_row(const kiln_gemm_s8_params_t* params, const int8_t* a0,
                                                        int8_t* out0,
                                          const uint32_t* x, const int widen, const int wide, const int narrow) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const int32_t padded = (depth + 7) & ~7;
  const int32_t blocks = widen ? padded >> 2 : (depth + 3) >> 2; /* the in-register path skips the zero blocks */
  const int32_t* const bias = params->bias;
  const int32_t* const requant = params->requant;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params->output_offset, params->act_min, params->act_max);
  const uint32_t* w = (const uint32_t*)(const void*)params->weights;
  int32_t n = 0, k;
  if (!widen && !wide) {
    const int32_t pair_words = 2 * (padded >> 2);
    for (; n + 4 <= cols; n += 4, w += 2 * pair_words) {
      int32_t acc[4];
      acc[0] = bias[n];
      acc[1] = bias[n + 1];
      acc[2] = bias[n + 2];
      acc[3] = bias[n + 3];
      kiln_gemm_dsp_row_four_channels(a0, depth, w, pair_words, acc);
      kiln_gemm_s8_store(clamp, out0 + n, 4, acc[0], acc[1], acc[2], acc[3], requant + 2 * n, narrow);
    }
  }
  for (; n + 2 <= cols; n += 2) {
    const int32_t* rq = requant + 2 * n;
    int32_t acc0 = wide ? (int32_t)w[0] : bias[n], acc1 = wide ? (int32_t)w[1] : bias[n + 1];
    if (wide) w += 2; /* the bias, the weights, the requantization */
    for (k = 0; k < blocks; ++k) {
      uint32_t x_e, x_o;
      kiln_gemm_dsp_row_block(a0, x, depth, k, widen, &x_e, &x_o);
      if (wide) {
        uint32_t wa_e, wb_e, wa_o, wb_o;
        KILN_READ_U32X2(w, 0, wa_e, wb_e);
        KILN_READ_U32X2(w, 2, wa_o, wb_o);
        KILN_BLOCK1x2(acc0, acc1, x_e, x_o, wa_e, wb_e, wa_o, wb_o);
        w += 4;
      } else {
        uint32_t wa, wb;
        KILN_READ_U32X2(w, 0, wa, wb);
        KILN_BLOCK1x2(acc0, acc1, x_e, x_o, kiln_sxtb16(wa), kiln_sxtb16(wb), kiln_sxtb16_ror8(wa),
                      kiln_sxtb16_ror8(wb));
        w += 2;
      }
    }
    if (!widen) w += (wide ? 4 : 2) * ((padded >> 2) - blocks);
    if (wide) {
      rq = (const int32_t*)w;
      w += 4;
    }
    kiln_gemm_s8_store(clamp, out0 + n, 2, acc0, acc1, 0, 0, rq, narrow);
  }
  if (n < cols) { /* the odd last channel, one word a block (two when wide, after its bias) */
    int32_t acc0 = wide ? (int32_t)*w++ : bias[n];
    for (k = 0; k < ((depth + 3) >> 2); ++k) {
      uint32_t x_e, x_o;
      kiln_gemm_dsp_row_block(a0, x, depth, k, widen, &x_e, &x_o);
      if (wide) {
        acc0 = kiln_smlad(x_o, w[2 * k + 1], kiln_smlad(x_e, w[2 * k], acc0));
      } else {
        acc0 = kiln_smlad(x_o, kiln_sxtb16_ror8(w[k]), kiln_smlad(x_e, kiln_sxtb16(w[k]), acc0));
      }
    }
    kiln_gemm_s8_store(clamp, out0 + n, 1, acc0, 0, 0, 0, wide ? (const int32_t*)w + (padded >> 1) : requant + 2 * n,
                       narrow);
  }
}

/* `widen`, `wide` (weights widened at compile time; needs `widen`),
 * `narrow` and `full_range` (1: the clamp is one SSAT, 0: a general clamp,
 * -1: tested per store) are constants in each instantiation: each has one
 * inner loop and one output stage, and with full_range 0 or 1 the channel
 * loop no test of the clamp. */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_gemm_clamped(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                            int32_t rows, int8_t* output, uint32_t* widened, const int widen,
                                            const int wide, const int narrow, const int full_range) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  /* The depth padded to a multiple of 8 (kiln/gemm.h): blocks come in pairs. */
  const int32_t padded = (depth + 7) & ~7;
  /* Blocks of zero weights past the depth's own (0 or 1), which the
   * in-register path skips. */
  const int32_t pad_blocks = (padded - ((depth + 3) & ~3)) >> 2;
  const int32_t* const bias = params->bias;
  const int32_t* const requant = params->requant;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params->output_offset, params->act_min, params->act_max);
  int32_t r;
  for (r = 0; r + 2 <= rows; r += 2) {
    const int8_t* const a0 = input + r * depth;
    const int8_t* const a1 = a0 + depth;
    int8_t* const out0 = output + r * cols;
    int8_t* const out1 = out0 + cols;
    /* The "pairs" layout is word-aligned: whole words, two at a time. */
    const uint32_t* w = (const uint32_t*)(const void*)params->weights;
    int32_t n, k;
    if (widen) kiln_gemm_dsp_widen_rows(a0, a1, depth, padded, widened);
    for (n = 0; n + 2 <= cols; n += 2) {
      const int32_t* rq = requant + 2 * n;
      int32_t acc00 = wide ? (int32_t)w[0] : bias[n], acc01 = wide ? (int32_t)w[1] : bias[n + 1];
      int32_t acc10 = acc00, acc11 = acc01;
      if (wide) { /* the bias, the weights, the requantization */
        w += 2;
        const uint32_t* x = widened;
        for (k = padded >> 3; k > 0; --k, x += 8, w += 8) {
          KILN_HALF2x2_WIDE(acc00, acc01, acc10, acc11, x, w, 0);
          KILN_HALF2x2_WIDE(acc00, acc01, acc10, acc11, x, w, 2);
          KILN_HALF2x2_WIDE(acc00, acc01, acc10, acc11, x, w, 4);
          KILN_HALF2x2_WIDE(acc00, acc01, acc10, acc11, x, w, 6);
        }
        rq = (const int32_t*)w;
        w += 4;
      } else if (widen) {
        const uint32_t* x = widened;
        /* Two blocks per iteration: half the loop's own instructions. */
        for (k = padded >> 3; k > 0; --k, x += 8, w += 4) {
          KILN_BLOCK2x2(acc00, acc01, acc10, acc11, x, w);
          KILN_BLOCK2x2(acc00, acc01, acc10, acc11, x + 4, w + 2);
        }
      } else { /* no scratch: each block widened in registers, per channel pair */
        for (k = 0; k < depth; k += 4, w += 2) {
          uint32_t x[4];
          kiln_gemm_dsp_widen_block(a0 + k, a1 + k, depth - k, x);
          KILN_BLOCK2x2(acc00, acc01, acc10, acc11, x, w);
        }
        w += 2 * pad_blocks;
      }
      if (full_range < 0) {
        kiln_gemm_s8_store(clamp, out0 + n, 2, acc00, acc01, 0, 0, rq, narrow);
        kiln_gemm_s8_store(clamp, out1 + n, 2, acc10, acc11, 0, 0, rq, narrow);
      } else {
        kiln_gemm_s8_store_rows_x2(clamp, out0 + n, cols, 2, acc00, acc01, acc10, acc11, 0, 0, rq, narrow,
                                   full_range);
      }
    }
    if (n < cols && wide) { /* the odd last channel: its bias, two words a block, its requantization */
      int32_t acc0 = (int32_t)*w++, acc1 = acc0;
      for (k = 0; k < padded; k += 4, w += 2) {
        KILN_HALF_BLOCK(acc0, acc1, widened + k, w[0]);
        KILN_HALF_BLOCK(acc0, acc1, widened + k + 2, w[1]);
      }
      kiln_gemm_s8_store(clamp, out0 + n, 1, acc0, 0, 0, 0, (const int32_t*)w, narrow);
      kiln_gemm_s8_store(clamp, out1 + n, 1, acc1, 0, 0, 0, (const int32_t*)w, narrow);
    } else if (n < cols) { /* the odd last channel, its weights one padded row */
      int32_t acc0 = bias[n], acc1 = acc0;
      for (k = 0; k < depth; k += 4, ++w) {
        uint32_t x_block[4];
        const uint32_t* x = x_block;
        if (widen)
          x = widened + k;
        else
          kiln_gemm_dsp_widen_block(a0 + k, a1 + k, depth - k, x_block);
        KILN_HALF_BLOCK(acc0, acc1, x, kiln_sxtb16(*w));
        KILN_HALF_BLOCK(acc0, acc1, x + 2, kiln_sxtb16_ror8(*w));
      }
      kiln_gemm_s8_store(clamp, out0 + n, 1, acc0, 0, 0, 0, requant + 2 * n, narrow);
      kiln_gemm_s8_store(clamp, out1 + n, 1, acc1, 0, 0, 0, requant + 2 * n, narrow);
    }
  }
}

/* Rows a0, a0 + depth and a0 + 2 depth widened: per block the words (a0
 * even, a1 even, a2 even, a0 odd, a1 odd, a2 odd), zeros past the depth up
 * to `padded`. */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_widen_triple(const int8_t* a0, int32_t depth, int32_t padded,
                                                          uint32_t* out) {
  const int8_t* a1 = a0 + depth;
  const int8_t* a2 = a1 + depth;
  int32_t k;
  for (k = 0; k < depth; k += 4, a0 += 4, a1 += 4, a2 += 4, out += 6) {
    const uint32_t w0 = kiln_read_s8x4_tail(a0, depth - k), w1 = kiln_read_s8x4_tail(a1, depth - k),
                   w2 = kiln_read_s8x4_tail(a2, depth - k);
    out[0] = kiln_sxtb16(w0);
    out[1] = kiln_sxtb16(w1);
    out[2] = kiln_sxtb16(w2);
    out[3] = kiln_sxtb16_ror8(w0);
    out[4] = kiln_sxtb16_ror8(w1);
    out[5] = kiln_sxtb16_ror8(w2);
  }
  for (; k < padded; k += 4, out += 6) out[0] = out[1] = out[2] = out[3] = out[4] = out[5] = 0;
}

/* Half a block of three rows and a channel pair, weights widened at
 * compile time: the rows' three words (words 3i/2 .. of x) and the pair's
 * two (words i, i+1 of w) as five pipelined loads, six SMLADs: eleven
 * instructions, twelve cycles, for twelve multiply-accumulates, where two
 * rows take six, ten, for eight. The barrier keeps GCC from hoisting the
 * next loads, which would take more registers than the core has. */
#define KILN_HALF3x2_WIDE(x, w, i)                                        \
  do {                                                                    \
    KILN_READ_U32X3_U32X2((x), 3 * (i) / 2, 3 * (i) / 2 + 1, 3 * (i) / 2 + 2, (w), (i), x0_, x1_, x2_, w0_, w1_); \
    acc00 = kiln_smlad(x0_, w0_, acc00);                                  \
    acc10 = kiln_smlad(x1_, w0_, acc10);                                  \
    acc20 = kiln_smlad(x2_, w0_, acc20);                                  \
    acc01 = kiln_smlad(x0_, w1_, acc01);                                  \
    acc11 = kiln_smlad(x1_, w1_, acc11);                                  \
    acc21 = kiln_smlad(x2_, w1_, acc21);                                  \
    __asm__ __volatile__("" ::: "memory");                                \
  } while (0)

/* The "_wide" entry points' rows, three at a time (`rows` a multiple of 3):
 * each weight pair loaded feeds six SMLADs rather than four, and each
 * channel's requantization serves three rows. */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_gemm_triples(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                            int32_t rows, int8_t* output, uint32_t* widened, const int narrow,
                                            const int full_range) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const int32_t padded = (depth + 7) & ~7;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params->output_offset, params->act_min, params->act_max);
  /* The rows' words (three per two depth values) in turns of sixteen. */
  const uint32_t* const x_sixteens = widened + 3 * ((padded & ~15) >> 1);
  int32_t r;
  for (r = 0; r < rows; r += 3) {
    int8_t* const out = output + r * cols;
    const uint32_t* w = (const uint32_t*)(const void*)params->weights;
    int32_t n, k;
    kiln_gemm_dsp_widen_triple(input + r * depth, depth, padded, widened);
    for (n = 0; n + 2 <= cols; n += 2) {
      int32_t acc00 = (int32_t)w[0], acc01 = (int32_t)w[1]; /* the pair's bias leads its weights */
      int32_t acc10 = acc00, acc11 = acc01, acc20 = acc00, acc21 = acc01;
      const uint32_t* x = widened;
      w += 2;
      /* Sixteen depth values a turn, then eight where the depth leaves
       * them; the loop ends on the rows' pointer, so that no counter takes
       * a register. */
      while (x != x_sixteens) {
        KILN_HALF3x2_WIDE(x, w, 0);
        KILN_HALF3x2_WIDE(x, w, 2);
        KILN_HALF3x2_WIDE(x, w, 4);
        KILN_HALF3x2_WIDE(x, w, 6);
        KILN_HALF3x2_WIDE(x, w, 8);
        KILN_HALF3x2_WIDE(x, w, 10);
        KILN_HALF3x2_WIDE(x, w, 12);
        KILN_HALF3x2_WIDE(x, w, 14);
        x += 24;
        w += 16;
      }
      if (padded & 8) {
        KILN_HALF3x2_WIDE(x, w, 0);
        KILN_HALF3x2_WIDE(x, w, 2);
        KILN_HALF3x2_WIDE(x, w, 4);
        KILN_HALF3x2_WIDE(x, w, 6);
        x += 12;
        w += 8;
      }
      /* and its requantization follows them */
      kiln_gemm_s8_store_rows_x2(clamp, out + n, cols, 3, acc00, acc01, acc10, acc11, acc20, acc21,
                                 (const int32_t*)w, narrow, full_range);
      w += 4;
    }
    if (n < cols) { /* the odd last channel: its bias, two words a block, its requantization */
      int32_t acc0 = (int32_t)*w++, acc1 = acc0, acc2 = acc0;
      const uint32_t* x = widened;
      for (k = padded >> 2; k > 0; --k, x += 6, w += 2) {
        acc0 = kiln_smlad(x[3], w[1], kiln_smlad(x[0], w[0], acc0));
        acc1 = kiln_smlad(x[4], w[1], kiln_smlad(x[1], w[0], acc1));
        acc2 = kiln_smlad(x[5], w[1], kiln_smlad(x[2], w[0], acc2));
      }
      kiln_gemm_s8_store(clamp, out + n, 1, acc0, 0, 0, 0, (const int32_t*)w, narrow);
      kiln_gemm_s8_store(clamp, out + cols + n, 1, acc1, 0, 0, 0, (const int32_t*)w, narrow);
      kiln_gemm_s8_store(clamp, out + 2 * cols + n, 1, acc2, 0, 0, 0, (const int32_t*)w, narrow);
    }
  }
}

static KILN_ALWAYS_INLINE void kiln_gemm_dsp_gemm(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                  int32_t rows,
                                    int8_t* output, uint32_t* widened, const int widen, const int wide,
                                    const int narrow) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const int full_range = kiln_gemm_s8_full_range(params->act_min, params->act_max);
  /* Rows in triples (int16 weights), then in pairs, then an odd last one. */
  const int32_t triples = wide ? rows - rows % 3 : 0;
  int32_t pairs;
  if (triples > 0 && full_range)
    kiln_gemm_dsp_gemm_triples(params, input, triples, output, widened, narrow, 1);
  else if (triples > 0)
    kiln_gemm_dsp_gemm_triples(params, input, triples, output, widened, narrow, 0);
  input += triples * depth;
  output += triples * cols;
  rows -= triples;
  pairs = rows & ~1;
  if (!widen) /* mostly fully connected layers at batch 1: one copy of the row-pair code */
    kiln_gemm_dsp_gemm_clamped(params, input, pairs, output, widened, widen, wide, narrow, -1);
  else if (full_range)
    kiln_gemm_dsp_gemm_clamped(params, input, pairs, output, widened, widen, wide, narrow, 1);
  else
    kiln_gemm_dsp_gemm_clamped(params, input, pairs, output, widened, widen, wide, narrow, 0);
  if (pairs < rows) { /* an odd last row: widened alone (as row 0 of a pair), computed once; one copy of its code */
    const int8_t* const a0 = input + pairs * depth;
    if (widen) kiln_gemm_dsp_widen_rows(a0, a0, depth, (depth + 7) & ~7, widened);
    kiln_gemm_dsp_single_row(params, a0, output + pairs * cols, widened, widen, wide, narrow);
  }
}

/* Four channels' int16 weights against one block of four inputs split by
 * SXTB16 into its even and odd halves: the "wide quads" stream's eight
 * words (words wi .. wi + 7 of w) in two runs of single loads, eight
 * SMLADs. `...` declares `block_` (the four inputs) and e0_, o0_, e1_, o1_
 * (words wi .. wi + 3), in one run of loads where it can. The barrier keeps
 * GCC from hoisting the next block's loads, which would take more
 * registers than the core has. */
#define KILN_QUAD_BLOCK_WIDE(wi, ...)                    \
  do {                                                   \
    uint32_t x_e, x_o;                                   \
    {                                                    \
      __VA_ARGS__;                                       \
      x_e = kiln_sxtb16(block_);                         \
      x_o = kiln_sxtb16_ror8(block_);                    \
      acc0 = kiln_smlad(x_e, e0_, acc0);                 \
      acc1 = kiln_smlad(x_e, e1_, acc1);                 \
      acc0 = kiln_smlad(x_o, o0_, acc0);                 \
      acc1 = kiln_smlad(x_o, o1_, acc1);                 \
    }                                                    \
    {                                                    \
      KILN_READ_U32X4(w, (wi) + 4, e2_, o2_, e3_, o3_);  \
      acc2 = kiln_smlad(x_e, e2_, acc2);                 \
      acc3 = kiln_smlad(x_e, e3_, acc3);                 \
      acc2 = kiln_smlad(x_o, o2_, acc2);                 \
      acc3 = kiln_smlad(x_o, o3_, acc3);                 \
    }                                                    \
    __asm__ __volatile__("" ::: "memory");               \
  } while (0)

/* The "_wide_..._in_registers" entry points: weights int16 at compile time
 * in "wide quads" (kiln/gemm.h), each row read as it is. Four channels at a
 * time: each block of four inputs is loaded and split by SXTB16 once for
 * the four, whose eight weight words need no SXTB16: about 21 instructions
 * and 24 cycles per 16 multiply-accumulates all in, where int8 weights take
 * 25 and 32. Made for a fully connected layer at batch 1, whose every
 * weight is used once: no scratch, at twice the weights' flash. */
static KILN_ALWAYS_INLINE void kiln_gemm_dsp_wide_quads(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                        int32_t rows, int8_t* output, const int narrow) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params->output_offset, params->act_min, params->act_max);
  int32_t r, n;
  for (r = 0; r < rows; ++r, input += depth, output += cols) {
    const uint32_t* w = (const uint32_t*)(const void*)params->weights;
    for (n = 0; n < cols; n += 4) {
      /* the quad's biases lead its weights, its requantization follows them */
      int32_t acc0 = (int32_t)w[0], acc1 = (int32_t)w[1], acc2 = (int32_t)w[2], acc3 = (int32_t)w[3];
      const int8_t* a = input;
      const int8_t* const pairs_end = input + (depth & ~7);
      w += 4;
      /* two blocks a turn, ending on the input pointer: no counter */
      while (a != pairs_end) {
        KILN_QUAD_BLOCK_WIDE(0, KILN_READ_U32_U32X4(a, 0, w, 0, block_, e0_, o0_, e1_, o1_));
        KILN_QUAD_BLOCK_WIDE(8, KILN_READ_U32_U32X4(a, 4, w, 8, block_, e0_, o0_, e1_, o1_));
        a += 8;
        w += 16;
      }
      if (depth & 4) {
        KILN_QUAD_BLOCK_WIDE(0, KILN_READ_U32_U32X4(a, 0, w, 0, block_, e0_, o0_, e1_, o1_));
        a += 4;
        w += 8;
      }
      if (depth & 3) { /* the tail, read apart: no byte past the row */
        KILN_QUAD_BLOCK_WIDE(0, const uint32_t block_ = kiln_read_s8x4_tail(a, depth & 3);
                             KILN_READ_U32X4(w, 0, e0_, o0_, e1_, o1_));
        w += 8;
      }
      kiln_gemm_s8_store(clamp, output + n, cols - n < 4 ? cols - n : 4, acc0, acc1, acc2, acc3,
                         (const int32_t*)w, narrow);
      w += 8;
    }
  }
}

/* The entry points' bodies (kiln/kernels/gemm_s8_dsp.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_gemm_s8_dsp_inline(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                       int32_t rows,
                      int8_t* output, void* scratch) {
  kiln_gemm_dsp_gemm(params, input, rows, output, (uint32_t*)scratch, 1, 0, 0);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_dsp_narrow_inline(const kiln_gemm_s8_params_t* params,
                                                              const int8_t* input, int32_t rows,
                             int8_t* output, void* scratch) {
  if (KILN_REQUANT_TAKES_RELU(params->output_offset, params->act_min))
    kiln_gemm_dsp_gemm(params, input, rows, output, (uint32_t*)scratch, 1, 0, KILN_REQUANT_NARROW | KILN_REQUANT_RELU);
  else
    kiln_gemm_dsp_gemm(params, input, rows, output, (uint32_t*)scratch, 1, 0, KILN_REQUANT_NARROW);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_dsp_wide_inline(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                            int32_t rows,
                           int8_t* output, void* scratch) {
  kiln_gemm_dsp_gemm(params, input, rows, output, (uint32_t*)scratch, 1, 1, 0);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_dsp_wide_narrow_inline(const kiln_gemm_s8_params_t* params,
                                                                   const int8_t* input, int32_t rows,
                                  int8_t* output, void* scratch) {
  if (KILN_REQUANT_TAKES_RELU(params->output_offset, params->act_min))
    kiln_gemm_dsp_gemm(params, input, rows, output, (uint32_t*)scratch, 1, 1,
                       KILN_REQUANT_NARROW_DOUBLED | KILN_REQUANT_RELU);
  else
    kiln_gemm_dsp_gemm(params, input, rows, output, (uint32_t*)scratch, 1, 1, KILN_REQUANT_NARROW_DOUBLED);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_dsp_in_registers_inline(const kiln_gemm_s8_params_t* params,
                                                                    const int8_t* input, int32_t rows,
                                   int8_t* output, void* scratch) {
  (void)scratch;
  kiln_gemm_dsp_gemm(params, input, rows, output, NULL, 0, 0, 0);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_dsp_narrow_in_registers_inline(const kiln_gemm_s8_params_t* params,
                                                                           const int8_t* input,
                                          int32_t rows, int8_t* output, void* scratch) {
  (void)scratch;
  if (KILN_REQUANT_TAKES_RELU(params->output_offset, params->act_min))
    kiln_gemm_dsp_gemm(params, input, rows, output, NULL, 0, 0, KILN_REQUANT_NARROW | KILN_REQUANT_RELU);
  else
    kiln_gemm_dsp_gemm(params, input, rows, output, NULL, 0, 0, KILN_REQUANT_NARROW);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_dsp_wide_in_registers_inline(const kiln_gemm_s8_params_t* params,
                                                                         const int8_t* input, int32_t rows,
                                                                         int8_t* output, void* scratch) {
  (void)scratch;
  kiln_gemm_dsp_wide_quads(params, input, rows, output, 0);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_dsp_wide_narrow_in_registers_inline(const kiln_gemm_s8_params_t* params,
                                                                                const int8_t* input, int32_t rows,
                                                                                int8_t* output, void* scratch) {
  (void)scratch;
  if (KILN_REQUANT_TAKES_RELU(params->output_offset, params->act_min))
    kiln_gemm_dsp_wide_quads(params, input, rows, output, KILN_REQUANT_NARROW_DOUBLED | KILN_REQUANT_RELU);
  else
    kiln_gemm_dsp_wide_quads(params, input, rows, output, KILN_REQUANT_NARROW_DOUBLED);
}

#undef KILN_HALF_BLOCK
#undef KILN_BLOCK2x2
#undef KILN_HALF2x2_WIDE
#undef KILN_BLOCK1x2
#undef KILN_FOUR_CHANNEL_BLOCK
#undef KILN_HALF3x2_WIDE
#undef KILN_QUAD_BLOCK_WIDE

#endif /* KILN_KERNELS_GEMM_S8_DSP_INLINE_H_ */
