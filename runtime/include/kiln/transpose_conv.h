/* The one loop of the TRANSPOSE_CONV kernels (float32, int8, 16x8): every
 * output value, with the input pixels whose windows cover it. TFLite's
 * reference kernels scatter each input element over the outputs its window
 * covers, into an output-sized accumulator; Kiln gathers each output from
 * the inputs that reach it, which needs no scratch. Visiting those inputs
 * by rows, then columns, then channels, ascending, is the order in which
 * the scatter adds into that output, so even float sums are identical.
 * Each kernel gives only its sum of a window. C99. */
#ifndef KILN_TRANSPOSE_CONV_H_
#define KILN_TRANSPOSE_CONV_H_

#include <stdint.h>

#include "kiln/runtime.h"

typedef struct {
  int32_t batches, input_h, input_w, input_c, filter_h, filter_w;
  int32_t output_h, output_w, output_c, stride_h, stride_w, pad_h, pad_w;
} kiln_transpose_conv_geometry_t;

/* The geometry of a transpose_conv params struct (each leads with these fields). */
#define KILN_TRANSPOSE_CONV_GEOMETRY(p)                                                                 \
  {                                                                                                     \
    (p)->batches, (p)->input_h, (p)->input_w, (p)->input_c, (p)->filter_h, (p)->filter_w,               \
        (p)->output_h, (p)->output_w, (p)->output_c, (p)->stride_h, (p)->stride_w, (p)->pad_h,          \
        (p)->pad_w                                                                                      \
  }

/* The input pixels covering one output: rows [iy0, iy1) and columns
 * [ix0, ix1) of batch `batch`; the filter tap of (iy0, ix0) is (fy0, fx0),
 * and each next row (column) is stride_h (stride_w) taps lower. */
typedef struct {
  int32_t batch, iy0, iy1, ix0, ix1, fy0, fx0;
} kiln_transpose_conv_window_t;

/* A kernel's sum: output channel oc of window `w` into output[index]. */
typedef void (*kiln_transpose_conv_fn)(const void* params, const kiln_transpose_conv_window_t* w, int32_t oc,
                                       const void* input, const void* filter, const void* bias, void* output,
                                       int32_t index);

/* The inputs i in [*first, *end) whose window covers output o: tap
 * o + pad - i * stride lies in [0, taps). */
static inline void kiln_transpose_conv_cover(int32_t o, int32_t pad, int32_t stride, int32_t taps, int32_t in_size,
                                             int32_t* first, int32_t* end) {
  const int32_t top = o + pad; /* >= 0, as o and pad are */
  const int32_t lowest = top - taps + 1;
  const int32_t last = top / stride;
  *first = lowest <= 0 ? 0 : (lowest + stride - 1) / stride;
  *end = last + 1 < in_size ? last + 1 : in_size;
}

/* Calls `sum` (a constant where inlined, so that it is inlined too) for
 * every output value, in output order. */
static KILN_ALWAYS_INLINE void kiln_transpose_conv(const kiln_transpose_conv_geometry_t* g, const void* params,
                                                   const void* input, const void* filter, const void* bias,
                                                   void* output, kiln_transpose_conv_fn sum) {
  kiln_transpose_conv_window_t w;
  int32_t oy, ox, oc, index = 0;
  for (w.batch = 0; w.batch < g->batches; ++w.batch) {
    for (oy = 0; oy < g->output_h; ++oy) {
      kiln_transpose_conv_cover(oy, g->pad_h, g->stride_h, g->filter_h, g->input_h, &w.iy0, &w.iy1);
      w.fy0 = oy + g->pad_h - w.iy0 * g->stride_h;
      for (ox = 0; ox < g->output_w; ++ox) {
        kiln_transpose_conv_cover(ox, g->pad_w, g->stride_w, g->filter_w, g->input_w, &w.ix0, &w.ix1);
        w.fx0 = ox + g->pad_w - w.ix0 * g->stride_w;
        for (oc = 0; oc < g->output_c; ++oc, ++index)
          sum(params, &w, oc, input, filter, bias, output, index);
      }
    }
  }
}

#endif /* KILN_TRANSPOSE_CONV_H_ */
