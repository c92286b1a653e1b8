/* depthwise_conv2d_s8_dsp: see the header. Its body, every function inline: the
 * runtime's entry points (kernels/depthwise_conv2d_s8_dsp.c) and the shape-specialised copies
 * of generated code (docs/schedules.md) are both made of it. A 3x3 window runs its nine taps
 * unrolled, border pixels testing one bit per tap; other filters run loops,
 * without bounds checks inside the image. Taps outside the image read the
 * zero point, which the folded bias cancels exactly. */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S8_DSP_INLINE_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S8_DSP_INLINE_H_
#include "kiln/kernels/depthwise_conv2d_s8_dsp.h"

#include "kiln/gemm.h"
#include "kiln/runtime.h"
#include "kiln/simd.h"

typedef kiln_depthwise_conv2d_s8_dsp_params_t kiln_dw_dsp_params_t;

/* The sums of a block of four channels (a struct, not an array, so that
 * they stay in registers). */
typedef struct {
  int32_t c0, c1, c2, c3;
} kiln_dw_dsp_sums_t;

/* Each channel of the tap's input word `x` times its weight: the tap's
 * int16 pairs (w_c, w_c+2) in `w_even` and (w_c+1, w_c+3) in `w_odd`. */
static KILN_ALWAYS_INLINE kiln_dw_dsp_sums_t kiln_dw_dsp_accumulate_tap(kiln_dw_dsp_sums_t s, uint32_t x,
                                                                        uint32_t w_even, uint32_t w_odd) {
  const uint32_t xe = kiln_sxtb16(x), xo = kiln_sxtb16_ror8(x);
  s.c0 = kiln_smlabb(xe, w_even, s.c0);
  s.c2 = kiln_smlatt(xe, w_even, s.c2);
  s.c1 = kiln_smlabb(xo, w_odd, s.c1);
  s.c3 = kiln_smlatt(xo, w_odd, s.c3);
  return s;
}

static KILN_ALWAYS_INLINE kiln_dw_dsp_sums_t kiln_dw_dsp_load_bias(const kiln_dw_dsp_params_t* p, int32_t c,
                                                                   int32_t count) {
  kiln_dw_dsp_sums_t s;
  s.c0 = p->bias[c];
  s.c1 = count > 1 ? p->bias[c + 1] : 0;
  s.c2 = count > 2 ? p->bias[c + 2] : 0;
  s.c3 = count > 3 ? p->bias[c + 3] : 0;
  return s;
}

/* Channels c..c+count-1 of one output pixel from their sums. */
static KILN_ALWAYS_INLINE void kiln_dw_dsp_store_block(const kiln_dw_dsp_params_t* p, kiln_dw_dsp_sums_t s,
                                                       int32_t c, int32_t count, int8_t* out,
                                           const int narrow) {
  kiln_gemm_s8_store(kiln_gemm_s8_clamp(p->output_offset, p->act_min, p->act_max), out + c, count, s.c0, s.c1,
                     s.c2, s.c3, p->requant + 2 * c, narrow);
}

/* One output pixel, channels c..c+count-1, from the window at (iy0, ix0):
 * any filter, taps outside the image read the zero point. */
static KILN_ALWAYS_INLINE void kiln_dw_dsp_pixel_block(const kiln_dw_dsp_params_t* p, const int8_t* in_batch,
                                                       int32_t iy0, int32_t ix0,
                                           int32_t c, int32_t count, const uint32_t* w, int border,
                                           uint32_t zero_points, int8_t* out, const int narrow) {
  const int32_t row_bytes = p->window.input_w * p->window.input_c;
  const int32_t tap_step = p->window.dilation_w * p->window.input_c;
  kiln_dw_dsp_sums_t sums = kiln_dw_dsp_load_bias(p, c, count);
  int32_t ky, kx;
  for (ky = 0; ky < p->window.filter_h; ++ky) {
    const int32_t iy = iy0 + ky * p->window.dilation_h;
    const int8_t* x = in_batch + iy * row_bytes + ix0 * p->window.input_c + c;
    for (kx = 0; kx < p->window.filter_w; ++kx, x += tap_step, w += 2) {
      uint32_t v;
      if (border) {
        const int32_t ix = ix0 + kx * p->window.dilation_w;
        v = (iy < 0 || iy >= p->window.input_h || ix < 0 || ix >= p->window.input_w) ? zero_points
                                                                         : kiln_read_s8x4_tail(x, count);
      } else {
        v = kiln_read_s8x4_tail(x, count);
      }
      sums = kiln_dw_dsp_accumulate_tap(sums, v, w[0], w[1]);
    }
  }
  kiln_dw_dsp_store_block(p, sums, c, count, out, narrow);
}

/* The nine taps of a 3x3 window in row-major order, by the enclosing code's
 * TAP(t, offset): a row's taps at `row` + 0, + tap_step, + tap_step2, then
 * `row` one `row_step` down. */
#define KILN_DW_DSP_NINE_TAPS() \
  do {                          \
    TAP(0, 0);                  \
    TAP(1, tap_step);           \
    TAP(2, tap_step2);          \
    row += row_step;            \
    TAP(3, 0);                  \
    TAP(4, tap_step);           \
    TAP(5, tap_step2);          \
    row += row_step;            \
    TAP(6, 0);                  \
    TAP(7, tap_step);           \
    TAP(8, tap_step2);          \
  } while (0)

/* pixel_block for a 3x3 window, four channels, its nine taps unrolled: tap
 * t (row-major) at in_batch + origin + its offset when bit t of `inside` is
 * set, else the zero point. Interior pixels (`interior` 1) pass 0x1ff, which
 * folds every test away, and read each tap's input and weights as three
 * pipelined loads. */
static KILN_ALWAYS_INLINE void kiln_dw_dsp_pixel_block_3x3(const kiln_dw_dsp_params_t* p, const int8_t* in_batch,
                                                           int32_t origin, int32_t row_step, int32_t tap_step,
                                                           const int interior, unsigned inside, uint32_t zero_points,
                                                           int32_t c, const uint32_t* w, int8_t* out,
                                                           const int narrow) {
  /* Row by row: one offset a row, the taps at +0, +tap_step, +2 tap_step
   * (an offset, not a pointer: a border window's may lie before the input,
   * and only the taps inside are ever formed into an address). */
  int32_t row = origin;
  const int32_t tap_step2 = 2 * tap_step;
  kiln_dw_dsp_sums_t sums = kiln_dw_dsp_load_bias(p, c, 4);
#define TAP(t, offset)                                                                          \
  do {                                                                                          \
    if (interior) {                                                                             \
      KILN_READ_U32_U32X2(in_batch + row + (offset), w, 2 * (t), x_, w_even_, w_odd_);         \
      sums = kiln_dw_dsp_accumulate_tap(sums, x_, w_even_, w_odd_);                            \
    } else {                                                                                    \
      const uint32_t x_ = (inside >> (t)) & 1u ? kiln_read_s8x4(in_batch + row + (offset)) : zero_points; \
      sums = kiln_dw_dsp_accumulate_tap(sums, x_, w[2 * (t)], w[2 * (t) + 1]);                 \
    }                                                                                           \
    KILN_SCHEDULE_BARRIER();                                                                    \
  } while (0)
  KILN_DW_DSP_NINE_TAPS();
#undef TAP
  kiln_dw_dsp_store_block(p, sums, c, 4, out, narrow);
}

/* pixel_block_3x3 for two interior pixels at once, `next` bytes apart in
 * the input and `channels` apart in the output: each tap's two weight words
 * loaded once for both (with the first pixel's input word, three pipelined
 * loads), the second pixel's word after the first's multiplies, so that the
 * eight sums, the weights and one pixel's halves fit the core's registers;
 * each channel's requantization loaded once for both. */
static KILN_ALWAYS_INLINE void kiln_dw_dsp_two_pixels_3x3(const kiln_dw_dsp_params_t* p, const int8_t* in_batch,
                                                          int32_t origin, int32_t next, int32_t row_step,
                                                          int32_t tap_step, int32_t c, const uint32_t* w,
                                                          int8_t* out, int32_t channels, const int narrow) {
  int32_t row = origin;
  const int32_t tap_step2 = 2 * tap_step;
  kiln_dw_dsp_sums_t a = kiln_dw_dsp_load_bias(p, c, 4), b = a;
#define TAP(t, offset)                                                                          \
  do {                                                                                          \
    KILN_READ_U32_U32X2(in_batch + row + (offset), w, 2 * (t), x0_, w_even_, w_odd_);         \
    a = kiln_dw_dsp_accumulate_tap(a, x0_, w_even_, w_odd_);                                   \
    KILN_SCHEDULE_BARRIER();                                                                    \
    b = kiln_dw_dsp_accumulate_tap(b, kiln_read_s8x4(in_batch + row + (offset) + next), w_even_, w_odd_); \
    KILN_SCHEDULE_BARRIER();                                                                    \
  } while (0)
  KILN_DW_DSP_NINE_TAPS();
#undef TAP
  {
    const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(p->output_offset, p->act_min, p->act_max);
    const int32_t* const rq = p->requant + 2 * c;
    if (clamp.full_range) {
      kiln_gemm_s8_store_rows_x2(clamp, out + c, channels, 2, a.c0, a.c1, b.c0, b.c1, 0, 0, rq, narrow, 1);
      kiln_gemm_s8_store_rows_x2(clamp, out + c + 2, channels, 2, a.c2, a.c3, b.c2, b.c3, 0, 0, rq + 4, narrow, 1);
    } else {
      kiln_gemm_s8_store_rows_x2(clamp, out + c, channels, 2, a.c0, a.c1, b.c0, b.c1, 0, 0, rq, narrow, 0);
      kiln_gemm_s8_store_rows_x2(clamp, out + c + 2, channels, 2, a.c2, a.c3, b.c2, b.c3, 0, 0, rq + 4, narrow, 0);
    }
  }
}

/* Bit ky * 3 + kx set for each tap of the 3x3 window at (iy0, ix0) inside
 * the image. */
static inline unsigned kiln_dw_dsp_taps_inside_3x3(const kiln_dw_dsp_params_t* p, int32_t iy0, int32_t ix0) {
  unsigned mask = 0;
  int32_t ky, kx;
  for (ky = 0; ky < 3; ++ky)
    for (kx = 0; kx < 3; ++kx) {
      const int32_t iy = iy0 + ky * p->window.dilation_h, ix = ix0 + kx * p->window.dilation_w;
      if (iy >= 0 && iy < p->window.input_h && ix >= 0 && ix < p->window.input_w) mask |= 1u << (ky * 3 + kx);
    }
  return mask;
}

static KILN_ALWAYS_INLINE void kiln_dw_dsp_depthwise(const kiln_dw_dsp_params_t* params, const int8_t* input,
                                                     int8_t* output,
                                         const int narrow) {
  /* A local copy: the int8 stores may alias anything, and would otherwise
   * make every field a reload after each store. */
  const kiln_dw_dsp_params_t p = *params;
  const int32_t channels = p.window.input_c;
  const int32_t taps = p.window.filter_h * p.window.filter_w;
  const uint32_t zp = (uint8_t)(int8_t)p.window.input_zero_point;
  const uint32_t zero_points = zp | zp << 8 | zp << 16 | zp << 24;
  const int32_t last_y = (p.window.filter_h - 1) * p.window.dilation_h;
  const int32_t last_x = (p.window.filter_w - 1) * p.window.dilation_w;
  const int is_3x3 = p.window.filter_h == 3 && p.window.filter_w == 3;
  const int32_t row_step = p.window.dilation_h * p.window.input_w * channels;
  const int32_t tap_step = p.window.dilation_w * channels;
  int32_t b, oy, ox, c;
  for (b = 0; b < p.window.batches; ++b) {
    const int8_t* in_batch = input + b * p.window.input_h * p.window.input_w * channels;
    for (oy = 0; oy < p.window.output_h; ++oy) {
      const int32_t iy0 = oy * p.window.stride_h - p.window.pad_h;
      const int rows_inside = iy0 >= 0 && iy0 + last_y < p.window.input_h;
      for (ox = 0; ox < p.window.output_w; ++ox) {
        const int32_t ix0 = ox * p.window.stride_w - p.window.pad_w;
        const int inside = rows_inside && ix0 >= 0 && ix0 + last_x < p.window.input_w;
        const uint32_t* w = p.weights;
        c = 0;
        if (is_3x3 && inside && ox + 1 < p.window.output_w &&
            ix0 + p.window.stride_w + last_x < p.window.input_w) {
          /* This pixel and the next, both inside. */
          const int32_t origin = (iy0 * p.window.input_w + ix0) * channels;
          for (; c + 4 <= channels; c += 4, w += 2 * taps)
            kiln_dw_dsp_two_pixels_3x3(&p, in_batch, origin + c, p.window.stride_w * channels, row_step, tap_step, c,
                                       w, output, channels, narrow);
          if (c < channels) {
            kiln_dw_dsp_pixel_block(&p, in_batch, iy0, ix0, c, channels - c, w, 1, zero_points, output, narrow);
            kiln_dw_dsp_pixel_block(&p, in_batch, iy0, ix0 + p.window.stride_w, c, channels - c, w, 1, zero_points,
                                    output + channels, narrow);
          }
          output += 2 * channels;
          ++ox;
          continue;
        }
        if (is_3x3) {
          const int32_t origin = (iy0 * p.window.input_w + ix0) * channels;
          if (inside) {
            for (; c + 4 <= channels; c += 4, w += 2 * taps)
              kiln_dw_dsp_pixel_block_3x3(&p, in_batch, origin + c, row_step, tap_step, 1, 0x1ffu, zero_points, c,
                                          w, output, narrow);
          } else {
            const unsigned taps_inside = kiln_dw_dsp_taps_inside_3x3(&p, iy0, ix0);
            for (; c + 4 <= channels; c += 4, w += 2 * taps)
              kiln_dw_dsp_pixel_block_3x3(&p, in_batch, origin + c, row_step, tap_step, 0, taps_inside, zero_points,
                                          c, w, output, narrow);
          }
        } else if (inside) {
          for (; c + 4 <= channels; c += 4, w += 2 * taps)
            kiln_dw_dsp_pixel_block(&p, in_batch, iy0, ix0, c, 4, w, 0, zero_points, output, narrow);
        } else {
          for (; c + 4 <= channels; c += 4, w += 2 * taps)
            kiln_dw_dsp_pixel_block(&p, in_batch, iy0, ix0, c, 4, w, 1, zero_points, output, narrow);
        }
        if (c < channels)
          kiln_dw_dsp_pixel_block(&p, in_batch, iy0, ix0, c, channels - c, w, 1, zero_points, output, narrow);
        output += channels;
      }
    }
  }
}

/* The entry points' bodies (kiln/kernels/depthwise_conv2d_s8_dsp.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_depthwise_conv2d_s8_dsp_inline(const kiln_depthwise_conv2d_s8_dsp_params_t* params, const int8_t* input, int8_t* output) {
  kiln_dw_dsp_depthwise(params, input, output, 0);
}

static KILN_ALWAYS_INLINE void kiln_depthwise_conv2d_s8_dsp_narrow_inline(const kiln_depthwise_conv2d_s8_dsp_params_t* params, const int8_t* input, int8_t* output) {
  if (KILN_REQUANT_TAKES_RELU(params->output_offset, params->act_min))
    kiln_dw_dsp_depthwise(params, input, output, KILN_REQUANT_NARROW_DOUBLED | KILN_REQUANT_RELU);
  else
    kiln_dw_dsp_depthwise(params, input, output, KILN_REQUANT_NARROW_DOUBLED);
}

#undef KILN_DW_DSP_NINE_TAPS
#undef TAP

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S8_DSP_INLINE_H_ */
