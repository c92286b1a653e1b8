/* conv2d_s8_direct_dsp: see the header. */
#include "kiln/kernels/conv2d_s8_direct_dsp.h"

#include <string.h>

#include "kiln/simd.h"

typedef kiln_conv2d_s8_direct_dsp_params_t params_t;

/* One int16 value into the window, which the kernel reads as words: a
 * memcpy (one STRH), so that the reads see it whatever the aliasing rules. */
static KILN_ALWAYS_INLINE int8_t* put16(int8_t* at, int32_t value) {
  const int16_t v = (int16_t)value;
  memcpy(at, &v, 2);
  return at + 2;
}

/* The window of output pixel (oy, ox) as int16 values into `window`
 * ([KH, KW, Ci]; the zeros up to the padded depth are written once, by the
 * caller): taps outside the image hold the zero point, which the folded
 * bias cancels. */
static KILN_COLD void gather_window(const kiln_conv_window_t* p, const int8_t* in_batch, int32_t oy, int32_t ox,
                                    int8_t* window) {
  const int32_t ic = p->input_c;
  const int32_t iy0 = oy * p->stride_h - p->pad_h;
  const int32_t ix0 = ox * p->stride_w - p->pad_w;
  const int32_t zp = p->input_zero_point;
  int32_t ky, kx, c;
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = iy0 + ky * p->dilation_h;
    const int8_t* const row = in_batch + iy * p->input_w * ic;
    if (iy < 0 || iy >= p->input_h) {
      for (c = p->filter_w * ic; c > 0; --c) window = put16(window, zp);
    } else if (p->dilation_w == 1) {
      int32_t kx_lo, kx_hi; /* the taps inside the image: one run */
      const int8_t* src;
      kiln_conv_window_run(p, ix0, &kx_lo, &kx_hi);
      src = row + (ix0 + kx_lo) * ic;
      for (c = kx_lo * ic; c > 0; --c) window = put16(window, zp);
      for (c = (kx_hi - kx_lo) * ic; c > 0; --c) window = put16(window, *src++);
      for (c = (p->filter_w - kx_hi) * ic; c > 0; --c) window = put16(window, zp);
    } else {
      for (kx = 0; kx < p->filter_w; ++kx) {
        const int32_t ix = ix0 + kx * p->dilation_w;
        const int inside = ix >= 0 && ix < p->input_w;
        for (c = 0; c < ic; ++c) window = put16(window, inside ? row[ix * ic + c] : zp);
      }
    }
  }
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
  const int32_t padded = (g->depth + 3) & ~3;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(g->output_offset, g->act_min, g->act_max);
  int8_t* const window = (int8_t*)scratch;
  const uint32_t* const window_words = (const uint32_t*)scratch;
  /* An interior window of dilation_w 1 is filter_h runs of `run` bytes. */
  const int32_t run = p.filter_w * p.input_c;
  const int32_t row_step = p.dilation_h * p.input_w * p.input_c;
  const int32_t last_y = (p.filter_h - 1) * p.dilation_h, last_x = (p.filter_w - 1) * p.dilation_w;
  int32_t b, oy, ox, n, k;
  /* The padding past the depth, against zero weights: written once. */
  for (k = g->depth; k < padded; ++k) put16(window + 2 * k, 0);
  for (b = 0; b < p.batches; ++b) {
    const int8_t* in_batch = input + b * p.input_h * p.input_w * p.input_c;
    for (oy = 0; oy < p.output_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      const int rows_inside = iy0 >= 0 && iy0 + last_y < p.input_h && p.dilation_w == 1;
      for (ox = 0; ox < p.output_w; ++ox, output += cols) {
        const uint32_t* w = (const uint32_t*)(const void*)g->weights;
        const int32_t ix0 = ox * p.stride_w - p.pad_w;
        if (rows_inside && ix0 >= 0 && ix0 + last_x < p.input_w) {
          const int8_t* src = in_batch + (iy0 * p.input_w + ix0) * p.input_c;
          int8_t* to = window;
          int32_t ky;
          for (ky = 0; ky < p.filter_h; ++ky, src += row_step)
            for (k = 0; k < run; ++k) to = put16(to, src[k]);
        } else {
          gather_window(&p, in_batch, oy, ox, window);
        }
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
