/* The one loop of the pooling kernels (max_pool2d and avg_pool2d: int8, int16 and
 * float32): every output value of every pixel, its window clipped to the
 * input (padded positions are skipped, as TFLite skips them). Each kernel
 * gives only its reduction of a window. C99. */
#ifndef KILN_POOL2D_H_
#define KILN_POOL2D_H_

#include <stdint.h>

#include "kiln/runtime.h"

/* The fields every pooling kernel's params lead with (KILN_POOL2D_GEOMETRY
 * reads them). padding_*: rows/columns of implicit padding before the input
 * (TFLite's ComputePaddingHeightWidth); padded positions are skipped, not
 * averaged. */
#define KILN_POOL2D_GEOMETRY_FIELDS                                                       \
  int32_t batches;                                                                        \
  int32_t input_height;                                                                   \
  int32_t input_width;                                                                    \
  int32_t depth;                                                                          \
  int32_t output_height;                                                                  \
  int32_t output_width;                                                                   \
  int32_t stride_height;                                                                  \
  int32_t stride_width;                                                                   \
  int32_t filter_height;                                                                  \
  int32_t filter_width;                                                                   \
  int32_t padding_height;                                                                 \
  int32_t padding_width;

/* What the loop below reads of a kernel's params. */
typedef struct {
  KILN_POOL2D_GEOMETRY_FIELDS
} kiln_pool2d_geometry_t;

/* The params of the integer pooling kernels (avg_pool2d and max_pool2d,
 * int8 and int16); each kernel's header names it. */
typedef struct {
  KILN_POOL2D_GEOMETRY_FIELDS
  /* Fused activation clamp, in output quantized units. */
  int32_t activation_min;
  int32_t activation_max;
} kiln_pool2d_int_params_t;

/* The params of the float32 pooling kernels (avg_pool2d and max_pool2d). */
typedef struct {
  KILN_POOL2D_GEOMETRY_FIELDS
  /* Fused activation clamp. */
  float activation_min;
  float activation_max;
} kiln_pool2d_float_params_t;

/* The geometry of a pooling kernel's params (each leads with these fields). */
#define KILN_POOL2D_GEOMETRY(p)                                                                        \
  {                                                                                                    \
    (p)->batches, (p)->input_height, (p)->input_width, (p)->depth, (p)->output_height,                 \
        (p)->output_width, (p)->stride_height, (p)->stride_width, (p)->filter_height,                  \
        (p)->filter_width, (p)->padding_height, (p)->padding_width                                     \
  }

/* One output pixel's window clipped to the input: channel c of tap (fy, fx)
 * is input[base + fy * row + fx * depth + c] for fy in [fy_start, fy_end)
 * and fx in [fx_start, fx_end). `base` (the window's corner) may be
 * negative at a border: index with the whole sum, never form input + base. */
typedef struct {
  int32_t base, row, depth;
  int32_t fy_start, fy_end, fx_start, fx_end;
} kiln_pool2d_window_t;

/* The taps [*start, *end) of a window along one axis that lie inside the
 * input's `size` values, the window's first tap at `origin` (output index
 * times stride, less the padding; negative at a leading border). */
static KILN_ALWAYS_INLINE void kiln_pool2d_clip(int32_t origin, int32_t filter, int32_t size, int32_t* start,
                                                int32_t* end) {
  *start = origin < 0 ? -origin : 0;
  *end = size - origin < filter ? size - origin : filter;
}

/* The mean of `count` (> 0) integer values summing to `sum`, rounded to
 * nearest with ties away from zero, as TFLite's integer AveragePool (C99
 * division truncates). */
static KILN_ALWAYS_INLINE int32_t kiln_pool2d_rounded_mean(int32_t sum, int32_t count) {
  return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

/* A kernel's reduction: channel c of window `w` into output[index]. */
typedef void (*kiln_pool2d_reduce_fn)(const void* params, const kiln_pool2d_window_t* w, int32_t c,
                                      const void* input, void* output, int32_t index);

/* Calls `reduce` (a constant where inlined, so that it is inlined too) for
 * every output value, in output order. */
static KILN_ALWAYS_INLINE void kiln_pool2d(const kiln_pool2d_geometry_t* g, const void* params, const void* input,
                                           void* output, kiln_pool2d_reduce_fn reduce) {
  kiln_pool2d_window_t w;
  int32_t b, oy, ox, c, index = 0;
  w.depth = g->depth;
  w.row = g->input_width * g->depth;
  for (b = 0; b < g->batches; ++b) {
    for (oy = 0; oy < g->output_height; ++oy) {
      const int32_t y0 = oy * g->stride_height - g->padding_height;
      kiln_pool2d_clip(y0, g->filter_height, g->input_height, &w.fy_start, &w.fy_end);
      for (ox = 0; ox < g->output_width; ++ox) {
        const int32_t x0 = ox * g->stride_width - g->padding_width;
        kiln_pool2d_clip(x0, g->filter_width, g->input_width, &w.fx_start, &w.fx_end);
        w.base = ((b * g->input_height + y0) * g->input_width + x0) * g->depth;
        for (c = 0; c < g->depth; ++c, ++index) reduce(params, &w, c, input, output, index);
      }
    }
  }
}

#endif /* KILN_POOL2D_H_ */
