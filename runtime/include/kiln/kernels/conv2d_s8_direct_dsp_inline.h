/* conv2d_s8_direct_dsp: see the header. Its body, every function inline: the
 * runtime's entry points (kernels/conv2d_s8_direct_dsp.c) and the shape-specialised copies
 * of generated code (docs/schedules.md) are both made of it. */
#ifndef KILN_KERNELS_CONV2D_S8_DIRECT_DSP_INLINE_H_
#define KILN_KERNELS_CONV2D_S8_DIRECT_DSP_INLINE_H_
#include "kiln/kernels/conv2d_s8_direct_dsp.h"

#include <string.h>

#include "kiln/simd.h"

typedef kiln_conv2d_s8_direct_params_t kiln_direct_dsp_params_t;

/* One word (two int16 values) to or from any address: a memcpy, one LDR or
 * STR on cores with unaligned access, whatever the aliasing rules. */
static KILN_ALWAYS_INLINE uint32_t kiln_direct_dsp_get32(const int16_t* at) {
  uint32_t v;
  memcpy(&v, at, 4);
  return v;
}
static KILN_ALWAYS_INLINE void kiln_direct_dsp_put32(int16_t* at, uint32_t v) { memcpy(at, &v, 4); }

/* `count` int16 values, in words: one value past them is overwritten too
 * (the next run's first, or the window's slack). */
static KILN_ALWAYS_INLINE int16_t* kiln_direct_dsp_copy_run(int16_t* to, const int16_t* from, int32_t count) {
  int32_t i;
  for (i = 0; i < count; i += 2) kiln_direct_dsp_put32(to + i, kiln_direct_dsp_get32(from + i));
  return to + count;
}

/* Channels n..n+G-1 (G = `group`: 4, 2 or 1, a constant where inlined) of
 * one pixel: per four depth steps, two words of the window and two of
 * each channel's weights (the group's rows interleaved two words at a
 * time). Returns the weights after the group's. */
static KILN_ALWAYS_INLINE const uint32_t* kiln_direct_dsp_channel_group(const kiln_word_t* window, const uint32_t* w,
                                                                        int32_t blocks,
                                                        const int32_t group, kiln_gemm_s8_clamp_t clamp,
                                                        const int32_t* bias, const int32_t* requant, int8_t* out,
                                                        const int narrow) {
  const kiln_word_t* x = window;
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

static KILN_ALWAYS_INLINE void kiln_direct_dsp_direct(const kiln_direct_dsp_params_t* params, const int8_t* input,
                                                      int8_t* output, void* scratch,
                                      const int narrow) {
  const kiln_direct_dsp_params_t copy = *params; /* a local copy: the int8 stores may alias anything */
  const kiln_conv_window_t p = copy.window;
  const kiln_gemm_s8_params_t* const g = &copy.gemm_params;
  const int32_t cols = g->cols;
  const int32_t ic = p.input_c;
  const int32_t blocks = (g->depth + 3) >> 2;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(g->output_offset, g->act_min, g->act_max);
  int16_t* const strip = (int16_t*)scratch;
  const kiln_conv_strip_t s = kiln_conv_strip_init(&p, strip);
  const int32_t column = s.column;
  int16_t* const window = strip + KILN_CONV_STRIP_BYTES(s.columns, column) / 2;
  /* A window is read in place where it starts on a word (LDRD); else
   * (dilation across, or odd columns at odd offsets) it is copied into
   * `window` first, whose depth past the window is zeros. */
  const int in_place = KILN_CONV2D_S8_DIRECT_DSP_IN_PLACE(p.stride_w, p.dilation_w, column);
  const int32_t pixel_step = p.stride_w * column;
  int32_t b, oy, ox, n;
  if (!in_place) memset(window, 0, (size_t)KILN_CONV2D_S8_DIRECT_DSP_WINDOW_BYTES(g->depth));
  for (b = 0; b < p.batches; ++b) {
    const int8_t* in_batch = input + b * p.input_h * p.input_w * ic;
    for (oy = 0; oy < p.output_h; ++oy) {
      const int16_t* at = strip;
      kiln_conv_strip_fill(&p, &s, in_batch, oy * p.stride_h - p.pad_h, strip);
      for (ox = 0; ox < p.output_w; ++ox, output += cols, at += pixel_step) {
        const uint32_t* w = (const uint32_t*)(const void*)g->weights;
        const kiln_word_t* x = (const kiln_word_t*)(const void*)at;
        if (!in_place) {
          int16_t* to = window;
          int32_t kx;
          for (kx = 0; kx < p.filter_w; ++kx) to = kiln_direct_dsp_copy_run(to, at + kx * p.dilation_w * column,
              column);
          x = (const kiln_word_t*)(const void*)window;
        }
        for (n = 0; n + 4 <= cols; n += 4)
          w = kiln_direct_dsp_channel_group(x, w, blocks, 4, clamp, g->bias + n, g->requant + 2 * n, output + n,
              narrow);
        if (cols - n >= 2) {
          w = kiln_direct_dsp_channel_group(x, w, blocks, 2, clamp, g->bias + n, g->requant + 2 * n, output + n,
              narrow);
          n += 2;
        }
        if (n < cols) kiln_direct_dsp_channel_group(x, w, blocks, 1, clamp, g->bias + n, g->requant + 2 * n,
            output + n, narrow);
      }
    }
  }
}

/* The entry points' bodies (kiln/kernels/conv2d_s8_direct_dsp.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_conv2d_s8_direct_dsp_inline(const kiln_conv2d_s8_direct_params_t* params,
                                                                const int8_t* input, int8_t* output, void* scratch) {
  kiln_direct_dsp_direct(params, input, output, scratch, 0);
}

static KILN_ALWAYS_INLINE void kiln_conv2d_s8_direct_dsp_narrow_inline(const kiln_conv2d_s8_direct_params_t* params,
                                                                       const int8_t* input, int8_t* output,
                                      void* scratch) {
  kiln_direct_dsp_direct(params, input, output, scratch, KILN_REQUANT_NARROW_DOUBLED);
}

#undef KILN_FOUR_CHANNELS

#endif /* KILN_KERNELS_CONV2D_S8_DIRECT_DSP_INLINE_H_ */
