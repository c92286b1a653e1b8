/* conv2d_s8_direct_dsp: see the header. */
#include "kiln/kernels/conv2d_s8_direct_dsp.h"

#include <string.h>

#include "kiln/simd.h"

typedef kiln_conv2d_s8_direct_dsp_params_t params_t;

/* One word (two int16 values) to or from any address: a memcpy, one LDR or
 * STR on cores with unaligned access, whatever the aliasing rules. */
static KILN_ALWAYS_INLINE uint32_t get32(const int16_t* at) {
  uint32_t v;
  memcpy(&v, at, 4);
  return v;
}
static KILN_ALWAYS_INLINE void put32(int16_t* at, uint32_t v) { memcpy(at, &v, 4); }

/* `count` copies of the zero point. */
static void fill_zero_points(int16_t* at, int32_t count, int32_t zero_point) {
  const uint32_t pair = (uint32_t)(uint16_t)zero_point * 0x10001u;
  for (; count >= 2; count -= 2, at += 2) put32(at, pair);
  if (count > 0) *at = (int16_t)zero_point;
}

/* `count` int8 values widened to int16, two per store. */
static void widen(int16_t* to, const int8_t* from, int32_t count) {
  for (; count >= 2; count -= 2, from += 2, to += 2)
    put32(to, (uint32_t)(uint16_t)from[0] | (uint32_t)(uint16_t)from[1] << 16);
  if (count > 0) *to = *from;
}

/* The strip row of image row `iy` (any row, inside the image or not):
 * image columns -pad_w, -pad_w + 1 ... as int16, `columns` of them, then
 * up to `row_elements`; the zero point outside the image. */
static void fill_strip_row(const kiln_conv_window_t* p, const int8_t* in_batch, int32_t iy, int16_t* row,
                           int32_t columns, int32_t row_elements) {
  const int32_t ic = p->input_c;
  const int32_t left = p->pad_w < columns ? p->pad_w : columns;
  int32_t inside = columns - left < p->input_w ? columns - left : p->input_w;
  fill_zero_points(row, left * ic, p->input_zero_point);
  if (iy < 0 || iy >= p->input_h)
    inside = 0;
  else
    widen(row + left * ic, in_batch + iy * p->input_w * ic, inside * ic);
  fill_zero_points(row + (left + inside) * ic, row_elements - (left + inside) * ic, p->input_zero_point);
}

/* `count` int16 values, in words: one value past them is overwritten too
 * (the next run's first, or the window's slack). */
static KILN_ALWAYS_INLINE int16_t* copy_run(int16_t* to, const int16_t* from, int32_t count) {
  int32_t i;
  for (i = 0; i < count; i += 2) put32(to + i, get32(from + i));
  return to + count;
}

/* Channels n..n+G-1 (G = `group`: 4, 2 or 1, a constant where inlined) of
 * one pixel: per four depth steps, two words of the window and two of
 * each channel's weights (the group's rows interleaved two words at a
 * time). Returns the weights after the group's. */
static KILN_ALWAYS_INLINE const uint32_t* channel_group(const uint32_t* window, const uint32_t* w, int32_t blocks,
                                                        const int32_t group, kiln_gemm_s8_clamp_t clamp,
                                                        const int32_t* bias, const int32_t* requant, int8_t* out,
                                                        const int narrow) {
  const uint32_t* x = window;
  int32_t acc0 = bias[0];
  int32_t acc1 = group > 1 ? bias[1] : 0;
  int32_t acc2 = group > 2 ? bias[2] : 0;
  int32_t acc3 = group > 3 ? bias[3] : 0;
  int32_t k;
  for (k = blocks; k > 0; --k, x += 2, w += 2 * group) {
    uint32_t x0, x1, w0, w1;
    KILN_READ_U32X2(x, 0, x0, x1);
    KILN_READ_U32X2(w, 0, w0, w1);
    acc0 = kiln_smlad(x1, w1, kiln_smlad(x0, w0, acc0));
    if (group > 1) {
      KILN_READ_U32X2(w, 2, w0, w1);
      acc1 = kiln_smlad(x1, w1, kiln_smlad(x0, w0, acc1));
    }
    if (group > 2) {
      KILN_READ_U32X2(w, 4, w0, w1);
      acc2 = kiln_smlad(x1, w1, kiln_smlad(x0, w0, acc2));
      KILN_READ_U32X2(w, 6, w0, w1);
      acc3 = kiln_smlad(x1, w1, kiln_smlad(x0, w0, acc3));
    }
  }
  kiln_gemm_s8_store(clamp, out, group, acc0, acc1, acc2, acc3, requant, narrow);
  return w;
}

static KILN_ALWAYS_INLINE void direct(const params_t* params, const int8_t* input, int8_t* output, void* scratch,
                                      const int narrow) {
  const params_t copy = *params; /* a local copy: the int8 stores may alias anything */
  const kiln_conv_window_t p = copy.window;
  const kiln_gemm_s8_params_t* const g = &copy.gemm_params;
  const int32_t cols = g->cols;
  const int32_t ic = p.input_c;
  const int32_t padded = (g->depth + 3) & ~3;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(g->output_offset, g->act_min, g->act_max);
  int16_t* const window = (int16_t*)scratch;
  const uint32_t* const window_words = (const uint32_t*)scratch;
  const int32_t strip_columns =
      KILN_CONV2D_S8_DIRECT_DSP_STRIP_COLUMNS(p.output_w, p.stride_w, p.filter_w, p.dilation_w);
  const int32_t strip_row = KILN_CONV2D_S8_DIRECT_DSP_STRIP_ROW(strip_columns, ic);
  const int32_t ring_rows = KILN_CONV2D_S8_DIRECT_DSP_RING_ROWS(p.filter_h, p.dilation_h);
  int16_t* const ring = window + KILN_CONV2D_S8_DIRECT_DSP_WINDOW_BYTES(g->depth) / 2;
  /* A window row's runs: one of filter_w * ic values, or filter_w of ic
   * (dilation_w > 1), `run_step` apart in the strip. */
  const int32_t runs = p.dilation_w == 1 ? 1 : p.filter_w;
  const int32_t run = p.dilation_w == 1 ? p.filter_w * ic : ic;
  const int32_t run_step = p.dilation_w * ic;
  const int32_t row_step = p.dilation_h * strip_row;
  const int32_t ring_values = ring_rows * strip_row;
  const int short_rows = runs == 1 && (run == 3 || run == 4);
  const int word_rows = runs == 1 && run % 2 == 0 && (p.stride_w * ic) % 2 == 0;
  int32_t b, oy, ox, n;
  /* The window past the depth (against zero weights) holds zeros; a copy
   * may write one value past the depth, never further. */
  memset(window + g->depth, 0, 2 * (size_t)(padded + 2 - g->depth));
  for (b = 0; b < p.batches; ++b) {
    const int8_t* in_batch = input + b * p.input_h * p.input_w * ic;
    /* Row iy of the padded image is kept in ring slot (iy + pad_h) %
     * ring_rows, widened once; `next_row` is the first not yet. */
    int32_t next_row = -p.pad_h;
    for (oy = 0; oy < p.output_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      const int32_t top = ((iy0 + p.pad_h) % ring_rows) * strip_row;
      if (next_row < iy0) next_row = iy0;
      for (; next_row < iy0 + ring_rows; ++next_row)
        fill_strip_row(&p, in_batch, next_row, ring + ((next_row + p.pad_h) % ring_rows) * strip_row,
                       strip_columns, strip_row);
      for (ox = 0; ox < p.output_w; ++ox, output += cols) {
        const uint32_t* w = (const uint32_t*)(const void*)g->weights;
        /* The window's row ky starts `from` values into the ring. */
        int32_t from = top + ox * p.stride_w * ic;
        int16_t* to = window;
        int32_t ky, r;
#define KILN_NEXT_ROW() (from += row_step, from -= from >= ring_values ? ring_values : 0)
        if (short_rows) {
          /* Window rows of 3 or 4 values (3x3x1, 1x4x1 ...): two words each. */
          for (ky = 0; ky < p.filter_h; ++ky, KILN_NEXT_ROW(), to += run) {
            put32(to, get32(ring + from));
            put32(to + 2, get32(ring + from + 2));
          }
        } else if (word_rows) {
          /* Rows of an even count at even offsets: word-aligned words. */
          uint32_t* t = (uint32_t*)(void*)to;
          for (ky = 0; ky < p.filter_h; ++ky, KILN_NEXT_ROW()) {
            const uint32_t* f = (const uint32_t*)(const void*)(ring + from);
            for (r = run >> 1; r > 0; --r) *t++ = *f++;
          }
        } else {
          for (ky = 0; ky < p.filter_h; ++ky, KILN_NEXT_ROW())
            for (r = 0; r < runs; ++r) to = copy_run(to, ring + from + r * run_step, run);
        }
#undef KILN_NEXT_ROW
        for (n = 0; n + 4 <= cols; n += 4)
          w = channel_group(window_words, w, padded >> 2, 4, clamp, g->bias + n, g->requant + 2 * n,
                            output + n, narrow);
        if (cols - n >= 2) {
          w = channel_group(window_words, w, padded >> 2, 2, clamp, g->bias + n, g->requant + 2 * n,
                            output + n, narrow);
          n += 2;
        }
        if (n < cols)
          channel_group(window_words, w, padded >> 2, 1, clamp, g->bias + n, g->requant + 2 * n,
                        output + n, narrow);
      }
    }
  }
}

void kiln_conv2d_s8_direct_dsp(const params_t* params, const int8_t* input, int8_t* output, void* scratch) {
  direct(params, input, output, scratch, 0);
}

void kiln_conv2d_s8_direct_dsp_narrow(const params_t* params, const int8_t* input, int8_t* output,
                                      void* scratch) {
  direct(params, input, output, scratch, KILN_REQUANT_NARROW_DOUBLED);
}
