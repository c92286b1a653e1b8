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

/* One depth pair (word i of each window) of `pixels` (1 to 3, a constant)
 * output pixels whose windows lie `step` words apart, against the channel
 * pair's words (w_a, w_b) at w[2i], w[2i + 1]: up to three loads and an
 * LDRD for six SMLADs; for three pixels, where `step` is a constant (the
 * shape-specialised copies), five single loads in a row, which pipeline
 * (kiln/simd.h). The barrier keeps GCC from hoisting the next step's loads,
 * which would take registers the sums hold. */
#define KILN_DIRECT_STEP(i)                                                                         \
  do {                                                                                              \
    if (pixels == 3 && KILN_IS_CONSTANT(step) && step <= KILN_DIRECT_DSP_CONSTANT_STEP_MAX) {    \
      KILN_READ_U32X3_U32X2(xp, (i), step + (i), 2 * step + (i), wp, 2 * (i), x0_, x1_, x2_, wa_, wb_); \
      a0 = kiln_smlad(x0_, wa_, a0);                                                                \
      b0 = kiln_smlad(x0_, wb_, b0);                                                                \
      a1 = kiln_smlad(x1_, wa_, a1);                                                                \
      b1 = kiln_smlad(x1_, wb_, b1);                                                                \
      a2 = kiln_smlad(x2_, wa_, a2);                                                                \
      b2 = kiln_smlad(x2_, wb_, b2);                                                                \
    } else {                                                                                        \
      uint32_t wa_, wb_;                                                                            \
      const uint32_t x0_ = xp[(i)];                                                                 \
      KILN_READ_U32X2(wp, 2 * (i), wa_, wb_);                                                       \
      a0 = kiln_smlad(x0_, wa_, a0);                                                                \
      b0 = kiln_smlad(x0_, wb_, b0);                                                                \
      if (pixels > 1) {                                                                             \
        const uint32_t x1_ = xp[step + (i)];                                                        \
        a1 = kiln_smlad(x1_, wa_, a1);                                                              \
        b1 = kiln_smlad(x1_, wb_, b1);                                                              \
      }                                                                                             \
      if (pixels > 2) {                                                                             \
        const uint32_t x2_ = xp[2 * step + (i)];                                                    \
        a2 = kiln_smlad(x2_, wa_, a2);                                                              \
        b2 = kiln_smlad(x2_, wb_, b2);                                                              \
      }                                                                                             \
    }                                                                                               \
    __asm__ __volatile__("" ::: "memory");                                                          \
  } while (0)

/* The largest constant `step` the single loads take: their offsets, up to
 * 4 (2 step + 3) bytes, must fit LDR's 12 bits. */
#define KILN_DIRECT_DSP_CONSTANT_STEP_MAX 510

/* Every output channel of `pixels` (1 to 3, a constant) neighbouring
 * output pixels, their windows at x, x + step, x + 2 step (words), two
 * channels at a time: each weight word loaded serves every pixel, where
 * one pixel at a time loaded each for one SMLAD. `out` is the first
 * pixel's output. */
static KILN_ALWAYS_INLINE void kiln_direct_dsp_pixels(const kiln_word_t* x, const int32_t step, const uint32_t* w,
                                                      int32_t blocks, int32_t cols, const int pixels,
                                                      kiln_gemm_s8_clamp_t clamp, const int32_t* bias,
                                                      const int32_t* requant, int8_t* out, const int narrow) {
  int32_t n, k;
  for (n = 0; n < cols; n += 2, w += 4 * blocks) {
    const int pair = n + 1 < cols; /* an odd last channel pairs with zero weights */
    int32_t a0 = bias[n], b0 = pair ? bias[n + 1] : 0;
    int32_t a1 = a0, b1 = b0, a2 = a0, b2 = b0;
    const kiln_word_t* xp = x;
    const uint32_t* wp = w;
    if (blocks & 1) { /* then two blocks a turn */
      KILN_DIRECT_STEP(0);
      KILN_DIRECT_STEP(1);
      xp += 2, wp += 4;
    }
    for (k = blocks >> 1; k > 0; --k, xp += 4, wp += 8) {
      KILN_DIRECT_STEP(0);
      KILN_DIRECT_STEP(1);
      KILN_DIRECT_STEP(2);
      KILN_DIRECT_STEP(3);
    }
    if (pixels > 1 && pair) {
      if (clamp.full_range)
        kiln_gemm_s8_store_rows_x2(clamp, out + n, cols, pixels, a0, b0, a1, b1, a2, b2, requant + 2 * n, narrow, 1);
      else
        kiln_gemm_s8_store_rows_x2(clamp, out + n, cols, pixels, a0, b0, a1, b1, a2, b2, requant + 2 * n, narrow, 0);
    } else {
      kiln_gemm_s8_store(clamp, out + n, pair ? 2 : 1, a0, b0, 0, 0, requant + 2 * n, narrow);
      if (pixels > 1) kiln_gemm_s8_store(clamp, out + cols + n, pair ? 2 : 1, a1, b1, 0, 0, requant + 2 * n, narrow);
      if (pixels > 2)
        kiln_gemm_s8_store(clamp, out + 2 * cols + n, pair ? 2 : 1, a2, b2, 0, 0, requant + 2 * n, narrow);
    }
  }
}

#undef KILN_DIRECT_STEP
#undef KILN_DIRECT_DSP_CONSTANT_STEP_MAX

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
  int16_t* const windows = strip + KILN_CONV_STRIP_BYTES(s.columns, column) / 2;
  const int32_t window_words = KILN_CONV2D_S8_DIRECT_DSP_WINDOW_BYTES(g->depth) / 4;
  /* A window is read in place where it starts on a word; else (dilation
   * across, or odd columns at odd offsets) it is copied into one of
   * `windows` first, whose depth past the window is zeros. */
  const int in_place = KILN_CONV2D_S8_DIRECT_DSP_IN_PLACE(p.stride_w, p.dilation_w, column);
  const int32_t pixel_step = p.stride_w * column;
  const uint32_t* const w = (const uint32_t*)(const void*)g->weights;
  int32_t b, oy, ox;
  if (!in_place) memset(windows, 0, (size_t)(KILN_CONV2D_S8_DIRECT_DSP_WINDOWS * 4 * window_words));
  for (b = 0; b < p.batches; ++b) {
    const int8_t* in_batch = input + b * p.input_h * p.input_w * ic;
    for (oy = 0; oy < p.output_h; ++oy) {
      const int16_t* at = strip;
      kiln_conv_strip_fill(&p, &s, in_batch, oy * p.stride_h - p.pad_h, strip);
      /* Pixels in threes (then a pair or one), their windows in place
       * pixel_step apart, or copied side by side into `windows`. */
      for (ox = 0; ox < p.output_w;) {
        const int32_t pixels = p.output_w - ox >= 3 ? 3 : p.output_w - ox;
        const kiln_word_t* x = (const kiln_word_t*)(const void*)at;
        int32_t step = pixel_step / 2;
        if (!in_place) {
          int32_t i, kx;
          for (i = 0; i < pixels; ++i) {
            int16_t* to = windows + i * 2 * window_words;
            for (kx = 0; kx < p.filter_w; ++kx)
              to = kiln_direct_dsp_copy_run(to, at + i * pixel_step + kx * p.dilation_w * column, column);
          }
          x = (const kiln_word_t*)(const void*)windows;
          step = window_words;
        }
        if (pixels == 3)
          kiln_direct_dsp_pixels(x, step, w, blocks, cols, 3, clamp, g->bias, g->requant, output, narrow);
        else if (pixels == 2)
          kiln_direct_dsp_pixels(x, step, w, blocks, cols, 2, clamp, g->bias, g->requant, output, narrow);
        else
          kiln_direct_dsp_pixels(x, step, w, blocks, cols, 1, clamp, g->bias, g->requant, output, narrow);
        ox += pixels, output += pixels * cols, at += pixels * pixel_step;
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
  if (KILN_REQUANT_TAKES_RELU(params->gemm_params.output_offset, params->gemm_params.act_min))
    kiln_direct_dsp_direct(params, input, output, scratch, KILN_REQUANT_NARROW_DOUBLED | KILN_REQUANT_RELU);
  else
    kiln_direct_dsp_direct(params, input, output, scratch, KILN_REQUANT_NARROW_DOUBLED);
}

#endif /* KILN_KERNELS_CONV2D_S8_DIRECT_DSP_INLINE_H_ */
