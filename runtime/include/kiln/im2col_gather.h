/* The gathering of conv2d_s8_im2col and conv2d_s8_im2col_tiled: an output
 * pixel's window copied out of an NHWC image, [KH, KW, Ci], taps outside the
 * image holding the input zero point. C99. */
#ifndef KILN_IM2COL_GATHER_H_
#define KILN_IM2COL_GATHER_H_

#include <stdint.h>
#include <string.h>

#include "kiln/conv_window.h"
#include "kiln/runtime.h"

/* memset and memcpy for the runs of a border row, a few bytes each, where a
 * library call costs more than the copy. */
static KILN_ALWAYS_INLINE void kiln_im2col_fill_bytes(int8_t* dst, int8_t value, int32_t n) {
  for (; n > 0; --n) *dst++ = value;
}

static KILN_ALWAYS_INLINE void kiln_im2col_copy_bytes(int8_t* dst, const int8_t* src, int32_t n) {
  for (; n > 0; --n) *dst++ = *src++;
}

/* A multiple of 4 bytes, a word at a time (unaligned where the core allows). */
static KILN_ALWAYS_INLINE void kiln_im2col_copy_words(int8_t* dst, const int8_t* src, int32_t n) {
  for (; n > 0; n -= 4, dst += 4, src += 4) memcpy(dst, src, 4);
}

/* Copies the window of output pixel (oy, ox) to `patch`, [KH, KW, Ci]. */
static inline void kiln_im2col_gather_window(const kiln_conv_window_t* params, const int8_t* in_batch, int32_t oy,
                                             int32_t ox, int8_t* patch) {
  const int32_t ic = params->input_c;
  const int32_t iy0 = oy * params->stride_h - params->pad_h;
  const int32_t ix0 = ox * params->stride_w - params->pad_w;
  const int32_t last_x = ix0 + (params->filter_w - 1) * params->dilation_w;
  const int32_t row_bytes = params->filter_w * ic;
  const int zp = (int)(int8_t)params->input_zero_point;
  int32_t ky, kx;
  for (ky = 0; ky < params->filter_h; ++ky, patch += row_bytes) {
    const int32_t iy = iy0 + ky * params->dilation_h;
    const int8_t* row = in_batch + iy * params->input_w * ic;
    if (iy < 0 || iy >= params->input_h) {
      memset(patch, zp, (size_t)row_bytes);
    } else if (params->dilation_w == 1 && ix0 >= 0 && last_x < params->input_w) {
      if ((row_bytes & 3) == 0) /* whole words: inline loads and stores */
        kiln_im2col_copy_words(patch, row + ix0 * ic, row_bytes);
      else
        memcpy(patch, row + ix0 * ic, (size_t)row_bytes);
    } else if (params->dilation_w == 1) {
      int32_t kx_lo, kx_hi; /* the taps inside the image: one run */
      kiln_conv_window_run(params, ix0, &kx_lo, &kx_hi);
      kiln_im2col_fill_bytes(patch, (int8_t)zp, kx_lo * ic);
      kiln_im2col_copy_bytes(patch + kx_lo * ic, row + (ix0 + kx_lo) * ic, (kx_hi - kx_lo) * ic);
      kiln_im2col_fill_bytes(patch + kx_hi * ic, (int8_t)zp, (params->filter_w - kx_hi) * ic);
    } else {
      for (kx = 0; kx < params->filter_w; ++kx) {
        const int32_t ix = ix0 + kx * params->dilation_w;
        if (ix < 0 || ix >= params->input_w)
          memset(patch + kx * ic, zp, (size_t)ic);
        else
          memcpy(patch + kx * ic, row + ix * ic, (size_t)ic);
      }
    }
  }
}

#endif /* KILN_IM2COL_GATHER_H_ */
