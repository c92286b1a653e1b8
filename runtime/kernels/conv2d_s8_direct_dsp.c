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

/* One output row's strip: strip column c holds image column c - pad_w of
 * the filter_h rows (from iy0, dilation_h apart) the row's windows reach,
 * as `column` int16 values, row-major then channel. Only the image's
 * columns are written: the pad columns hold the zero point from the start
 * of the call. */
static void fill_strip(const kiln_conv_window_t* p, const int8_t* in_batch, int32_t iy0, int16_t* strip,
                       int32_t column, int32_t first, int32_t count) {
  const int32_t ic = p->input_c;
  int32_t ky, x, c;
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = iy0 + ky * p->dilation_h;
    int16_t* to = strip + first * column + ky * ic;
    if (iy < 0 || iy >= p->input_h) {
      for (x = 0; x < count; ++x, to += column)
        for (c = 0; c < ic; ++c) to[c] = (int16_t)p->input_zero_point;
    } else {
      const int8_t* from = in_batch + (iy * p->input_w + first - p->pad_w) * ic;
      if (ic == 1) {
        /* Four values per load: a column apart in the strip. */
        for (x = 0; x + 4 <= count; x += 4, to += 4 * column) {
          const uint32_t v = kiln_read_s8x4(from + x);
          to[0] = (int8_t)v;
          to[column] = (int8_t)(v >> 8);
          to[2 * column] = (int8_t)(v >> 16);
          to[3 * column] = (int8_t)(v >> 24);
        }
        for (; x < count; ++x, to += column) *to = from[x];
      } else {
        for (x = 0; x < count; ++x, to += column, from += ic)
          for (c = 0; c < ic; ++c) to[c] = from[c];
      }
    }
  }
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
  if (group == 4) {
    /* Two LDMs of two channels' weights each (13 load cycles per 16 MACs
     * where four LDRDs and the window's take 15), two blocks per turn. */
#define KILN_FOUR_CHANNELS(index)                                    \
  do {                                                               \
    uint32_t x0, x1;                                                 \
    KILN_READ_U32X2(x, index, x0, x1);                               \
    {                                                                \
      KILN_READ_U32X4_ADVANCE(w, w0, w1, w2, w3);                    \
      acc0 = kiln_smlad(x1, w1, kiln_smlad(x0, w0, acc0));           \
      acc1 = kiln_smlad(x1, w3, kiln_smlad(x0, w2, acc1));           \
    }                                                                \
    {                                                                \
      KILN_READ_U32X4_ADVANCE(w, w0, w1, w2, w3);                    \
      acc2 = kiln_smlad(x1, w1, kiln_smlad(x0, w0, acc2));           \
      acc3 = kiln_smlad(x1, w3, kiln_smlad(x0, w2, acc3));           \
    }                                                                \
  } while (0)
    if (blocks & 1) {
      KILN_FOUR_CHANNELS(0);
      x += 2;
    }
    for (k = blocks >> 1; k > 0; --k, x += 4) {
      KILN_FOUR_CHANNELS(0);
      KILN_FOUR_CHANNELS(2);
    }
#undef KILN_FOUR_CHANNELS
    kiln_gemm_s8_store(clamp, out, group, acc0, acc1, acc2, acc3, requant, narrow);
    return w;
  }
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
  const int32_t blocks = (g->depth + 3) >> 2;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(g->output_offset, g->act_min, g->act_max);
  const int32_t column = KILN_CONV2D_S8_DIRECT_DSP_COLUMN(p.filter_h, ic);
  const int32_t strip_columns =
      KILN_CONV2D_S8_DIRECT_DSP_STRIP_COLUMNS(p.output_w, p.stride_w, p.filter_w, p.dilation_w);
  int16_t* const strip = (int16_t*)scratch;
  int16_t* const window = strip + KILN_CONV2D_S8_DIRECT_DSP_STRIP_BYTES(strip_columns, column) / 2;
  /* The image's columns in the strip: from `first`, `inside` of them. */
  const int32_t first = p.pad_w < strip_columns ? p.pad_w : strip_columns;
  const int32_t inside = strip_columns - first < p.input_w ? strip_columns - first : p.input_w;
  /* A window is read in place where it is a run of whole columns starting
   * on a word; else (dilation across, or odd columns at odd offsets) it is
   * copied into `window` first. */
  const int in_place = KILN_CONV2D_S8_DIRECT_DSP_IN_PLACE(p.stride_w, p.dilation_w, column);
  const int32_t pixel_step = p.stride_w * column;
  int32_t b, oy, ox, n, i;
  /* The pad columns hold the zero point for every row; past the last
   * column and the window's depth, the reads against zero weights find
   * zeros. */
  memset(scratch, 0, (size_t)KILN_CONV2D_S8_DIRECT_DSP_SCRATCH_BYTES(strip_columns, column, in_place, g->depth));
  for (i = 0; i < first * column; ++i) strip[i] = (int16_t)p.input_zero_point;
  for (i = (first + inside) * column; i < strip_columns * column; ++i) strip[i] = (int16_t)p.input_zero_point;
  for (b = 0; b < p.batches; ++b) {
    const int8_t* in_batch = input + b * p.input_h * p.input_w * ic;
    for (oy = 0; oy < p.output_h; ++oy) {
      const int16_t* at = strip;
      fill_strip(&p, in_batch, oy * p.stride_h - p.pad_h, strip, column, first, inside);
      for (ox = 0; ox < p.output_w; ++ox, output += cols, at += pixel_step) {
        const uint32_t* w = (const uint32_t*)(const void*)g->weights;
        const uint32_t* x = (const uint32_t*)(const void*)at;
        if (!in_place) {
          int16_t* to = window;
          int32_t kx;
          for (kx = 0; kx < p.filter_w; ++kx) to = copy_run(to, at + kx * p.dilation_w * column, column);
          x = (const uint32_t*)(const void*)window;
        }
        for (n = 0; n + 4 <= cols; n += 4)
          w = channel_group(x, w, blocks, 4, clamp, g->bias + n, g->requant + 2 * n, output + n, narrow);
        if (cols - n >= 2) {
          w = channel_group(x, w, blocks, 2, clamp, g->bias + n, g->requant + 2 * n, output + n, narrow);
          n += 2;
        }
        if (n < cols) channel_group(x, w, blocks, 1, clamp, g->bias + n, g->requant + 2 * n, output + n, narrow);
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
