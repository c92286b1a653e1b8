/* pool2d_s8_dsp: see the header. Its body, every function inline: the
 * runtime's entry points (kernels/pool2d_s8_dsp.c) and the shape-specialised
 * copies of generated code (docs/schedules.md) are both made of it. */
#ifndef KILN_KERNELS_POOL2D_S8_DSP_INLINE_H_
#define KILN_KERNELS_POOL2D_S8_DSP_INLINE_H_
#include "kiln/kernels/pool2d_s8_dsp.h"

#include <string.h>

#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"
#include "kiln/simd.h"

/* An output pixel's window clipped to the input: `rows` rows of `columns`
 * taps from `corner` (channel 0 of its first tap inside). */
typedef struct {
  const int8_t* corner;
  int32_t rows, columns, row_bytes, depth;
  int32_t rows_per_fold; /* the rows an int16 lane holds: 256 taps */
} kiln_pool_s8_window_t;

/* 256 taps of int8 fit an int16 lane (-128 * 256 to 127 * 256): the
 * kernel takes windows up to 256 wide. */
#define KILN_POOL_S8_LANE_TAPS 256

/* Four copies of an int8 value. */
static KILN_ALWAYS_INLINE uint32_t kiln_pool_s8_splat(int32_t v) { return (uint32_t)(uint8_t)(int8_t)v * 0x01010101u; }

/* The `count` (1 to 4, a constant where it is 4) low bytes of `v` to `out`. */
static KILN_ALWAYS_INLINE void kiln_pool_s8_store(int8_t* out, uint32_t v, int32_t count) {
  int32_t i;
  if (count == 4) {
    memcpy(out, &v, 4);
    return;
  }
  for (i = 0; i < count; ++i) out[i] = (int8_t)(v >> (8 * i));
}

/* Channels c..c+count-1 of the window's maximum, clamped. */
static KILN_ALWAYS_INLINE void kiln_pool_s8_max_block(const kiln_pool2d_s8_dsp_params_t* p,
                                                      const kiln_pool_s8_window_t* w, int32_t c, int32_t count,
                                                      int8_t* out) {
  uint32_t m = kiln_pool_s8_splat(p->activation_min);
  const int8_t* row = w->corner + c;
  int32_t y, x;
  for (y = 0; y < w->rows; ++y, row += w->row_bytes) {
    const int8_t* tap = row;
    for (x = 0; x < w->columns; ++x, tap += w->depth) m = kiln_max_s8x4(m, kiln_read_s8x4_tail(tap, count));
  }
  kiln_pool_s8_store(out, kiln_min_s8x4(m, kiln_pool_s8_splat(p->activation_max)), count);
}

/* The int16 lanes' sums (channels c, c+2 in `even`, c+1, c+3 in `odd`)
 * added into the int32 ones. */
static KILN_ALWAYS_INLINE void kiln_pool_s8_fold_lanes(int32_t sums[4], uint32_t even, uint32_t odd) {
  sums[0] += (int16_t)(even & 0xffffu);
  sums[2] += (int16_t)(even >> 16);
  sums[1] += (int16_t)(odd & 0xffffu);
  sums[3] += (int16_t)(odd >> 16);
}

/* Channels c..c+count-1 of the window's mean, rounded as TFLite's
 * (kiln_pool2d_rounded_mean), clamped. The lanes take `rows_per_fold` rows
 * before they are folded. */
static KILN_ALWAYS_INLINE void kiln_pool_s8_average_block(const kiln_pool2d_s8_dsp_params_t* p,
                                                          const kiln_pool_s8_window_t* w, int32_t c, int32_t count,
                                                          int8_t* out) {
  int32_t sums[4] = {0, 0, 0, 0};
  uint32_t even = 0, odd = 0;
  int32_t rows_in_lanes = 0;
  const int8_t* row = w->corner + c;
  const int32_t taps = w->rows * w->columns;
  int32_t y, x, i;
  for (y = 0; y < w->rows; ++y, row += w->row_bytes) {
    const int8_t* tap = row;
    for (x = 0; x < w->columns; ++x, tap += w->depth) {
      const uint32_t v = kiln_read_s8x4_tail(tap, count);
      even = kiln_sxtab16(even, v);
      odd = kiln_sxtab16_ror8(odd, v);
    }
    if (++rows_in_lanes == w->rows_per_fold) {
      kiln_pool_s8_fold_lanes(sums, even, odd);
      even = odd = 0;
      rows_in_lanes = 0;
    }
  }
  kiln_pool_s8_fold_lanes(sums, even, odd);
  for (i = 0; i < count; ++i) {
    /* The compiler checked that every window overlaps the input. */
    const int32_t v = taps > 0 ? kiln_pool2d_rounded_mean(sums[i], taps) : 0;
    out[i] = (int8_t)kiln_clamp_i32(v, p->activation_min, p->activation_max);
  }
}

/* Every output pixel in order, its channels four at a time (the last block
 * the rest). */
static KILN_ALWAYS_INLINE void kiln_pool_s8_dsp(const kiln_pool2d_s8_dsp_params_t* params, const int8_t* input,
                                                int8_t* output, const int average) {
  /* A local copy: the int8 stores may alias anything. */
  const kiln_pool2d_s8_dsp_params_t p = *params;
  kiln_pool_s8_window_t w;
  int32_t b, oy, ox, c;
  w.depth = p.depth;
  w.row_bytes = p.input_width * p.depth;
  for (b = 0; b < p.batches; ++b) {
    const int8_t* in_batch = input + b * p.input_height * w.row_bytes;
    for (oy = 0; oy < p.output_height; ++oy) {
      const int32_t y0 = oy * p.stride_height - p.padding_height;
      int32_t fy0, fy1, fx0, fx1;
      kiln_pool2d_clip(y0, p.filter_height, p.input_height, &fy0, &fy1);
      for (ox = 0; ox < p.output_width; ++ox) {
        const int32_t x0 = ox * p.stride_width - p.padding_width;
        kiln_pool2d_clip(x0, p.filter_width, p.input_width, &fx0, &fx1);
        w.rows = fy1 - fy0;
        w.columns = fx1 - fx0;
        w.rows_per_fold = w.columns > 0 ? KILN_POOL_S8_LANE_TAPS / w.columns : 1;
        /* Formed from the clipped corner only: a padded one lies outside the input. */
        w.corner = in_batch + (y0 + fy0) * w.row_bytes + (x0 + fx0) * p.depth;
        for (c = 0; c + 4 <= p.depth; c += 4) {
          if (average)
            kiln_pool_s8_average_block(&p, &w, c, 4, output + c);
          else
            kiln_pool_s8_max_block(&p, &w, c, 4, output + c);
        }
        if (c < p.depth) {
          if (average)
            kiln_pool_s8_average_block(&p, &w, c, p.depth - c, output + c);
          else
            kiln_pool_s8_max_block(&p, &w, c, p.depth - c, output + c);
        }
        output += p.depth;
      }
    }
  }
}

/* The entry points' bodies (kiln/kernels/pool2d_s8_dsp.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_max_pool2d_s8_dsp_inline(const kiln_pool2d_s8_dsp_params_t* params,
                                                             const int8_t* input, int8_t* output) {
  kiln_pool_s8_dsp(params, input, output, 0);
}

static KILN_ALWAYS_INLINE void kiln_avg_pool2d_s8_dsp_inline(const kiln_pool2d_s8_dsp_params_t* params,
                                                             const int8_t* input, int8_t* output) {
  kiln_pool_s8_dsp(params, input, output, 1);
}

#endif /* KILN_KERNELS_POOL2D_S8_DSP_INLINE_H_ */
