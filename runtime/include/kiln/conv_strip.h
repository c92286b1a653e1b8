/* The strip of the "direct" convolution kernels (conv2d_s8_direct_dsp,
 * conv2d_s8_direct_rv32): for each output row, the input its windows reach,
 * widened to int16 once and stored column by column, so that an output
 * pixel's window is one contiguous run of it, in the order (kx, ky, ci)
 * the compiler puts the weights in. C99. */
#ifndef KILN_CONV_STRIP_H_
#define KILN_CONV_STRIP_H_

#include <stdint.h>
#include <string.h>

#include "kiln/conv_window.h"
#include "kiln/gemm.h"
#include "kiln/simd.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_conv_window_t window;
  /* depth = filter_h * filter_w * input_c, cols = output channels; the
   * weights in the kernel's layout, each channel's in the window's order. */
  kiln_gemm_s8_params_t gemm_params;
} kiln_conv2d_s8_direct_params_t;

/* The strip: `columns` columns (the image columns the windows reach, from
 * -pad_w) of `column` int16 values (filter_h * input_c), then 8 bytes of
 * slack (a window's depth is read to a multiple of 4), a whole number of
 * words. The compiler sizes it with the same formula
 * (src/kernels/gemm_lowering.cc, DirectScratchBytes). */
#define KILN_CONV_STRIP_COLUMN(filter_h, input_c) ((filter_h) * (input_c))
#define KILN_CONV_STRIP_COLUMNS(output_w, stride_w, filter_w, dilation_w) \
  (((output_w) - 1) * (stride_w) + ((filter_w) - 1) * (dilation_w) + 1)
#define KILN_CONV_STRIP_BYTES(columns, column) (((columns) * (column) + 1) / 2 * 4 + 8)

/* Where the image's columns lie in the strip: from `first`, `inside` of them. */
typedef struct {
  int32_t column, columns, first, inside;
} kiln_conv_strip_t;

/* Lays out the strip of `p` at `strip`: zeros, then the zero point in the
 * pad columns, which keep it for every row. */
static inline kiln_conv_strip_t kiln_conv_strip_init(const kiln_conv_window_t* p, int16_t* strip) {
  kiln_conv_strip_t s;
  int32_t i;
  s.column = KILN_CONV_STRIP_COLUMN(p->filter_h, p->input_c);
  s.columns = KILN_CONV_STRIP_COLUMNS(p->output_w, p->stride_w, p->filter_w, p->dilation_w);
  s.first = p->pad_w < s.columns ? p->pad_w : s.columns;
  s.inside = s.columns - s.first < p->input_w ? s.columns - s.first : p->input_w;
  memset(strip, 0, (size_t)KILN_CONV_STRIP_BYTES(s.columns, s.column));
  for (i = 0; i < s.first * s.column; ++i) strip[i] = (int16_t)p->input_zero_point;
  for (i = (s.first + s.inside) * s.column; i < s.columns * s.column; ++i) strip[i] = (int16_t)p->input_zero_point;
  return s;
}

/* Output row's strip: strip column c holds image column c - pad_w of the
 * filter_h rows (from iy0, dilation_h apart), row-major then channel. Only
 * the image's columns are written. */
static inline void kiln_conv_strip_fill(const kiln_conv_window_t* p, const kiln_conv_strip_t* s,
                                        const int8_t* in_batch, int32_t iy0, int16_t* strip) {
  const int32_t ic = p->input_c, column = s->column, count = s->inside;
  int32_t ky, x, c;
  for (ky = 0; ky < p->filter_h; ++ky) {
    const int32_t iy = iy0 + ky * p->dilation_h;
    int16_t* to = strip + s->first * column + ky * ic;
    if (iy < 0 || iy >= p->input_h) {
      for (x = 0; x < count; ++x, to += column)
        for (c = 0; c < ic; ++c) to[c] = (int16_t)p->input_zero_point;
    } else {
      const int8_t* from = in_batch + (iy * p->input_w + s->first - p->pad_w) * ic;
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

#ifdef __cplusplus
}
#endif

#endif /* KILN_CONV_STRIP_H_ */
