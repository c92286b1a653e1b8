/* The window geometry of the convolution kernels that gather each output
 * pixel's window (conv2d_s8_im2col, conv2d_s8_direct_dsp), and what both
 * compute at a border: which taps of a window row lie inside the image.
 * C99. */
#ifndef KILN_CONV_WINDOW_H_
#define KILN_CONV_WINDOW_H_

#include <stdint.h>

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_h, pad_w;
  /* The input zero point: the value of a tap outside the image (the folded
   * bias cancels it exactly). */
  int32_t input_zero_point;
} kiln_conv_window_t;

/* For a window row from input column ix0, dilation_w 1: the taps inside the
 * image are kx_lo..kx_hi-1 (kx_lo == kx_hi when none is). */
static inline void kiln_conv_window_run(const kiln_conv_window_t* w, int32_t ix0, int32_t* kx_lo,
                                        int32_t* kx_hi) {
  const int32_t lo = ix0 < 0 ? (-ix0 < w->filter_w ? -ix0 : w->filter_w) : 0;
  const int32_t end = w->input_w - ix0;
  *kx_lo = lo;
  *kx_hi = end < lo ? lo : (end < w->filter_w ? end : w->filter_w);
}

#endif /* KILN_CONV_WINDOW_H_ */
