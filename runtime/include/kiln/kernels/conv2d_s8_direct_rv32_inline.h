/* conv2d_s8_direct_rv32: see the header. Its body, every function inline: the
 * runtime's entry points (kernels/conv2d_s8_direct_rv32.c) and the shape-specialised copies
 * of generated code (docs/schedules.md) are both made of it. */
#ifndef KILN_KERNELS_CONV2D_S8_DIRECT_RV32_INLINE_H_
#define KILN_KERNELS_CONV2D_S8_DIRECT_RV32_INLINE_H_
#include "kiln/kernels/conv2d_s8_direct_rv32.h"

#include "kiln/rv32_common.h"

typedef kiln_conv2d_s8_direct_params_t kiln_direct_rv32_params_t;

/* Depth step k of `pixels` (3 or 2, a constant) pixels' windows (x0, x1,
 * and x2 for three, in the strip) against a group of four channels (w, channel quads):
 * twelve or eight sums in registers. Three pixels, not four: RV32 has no
 * indexed load, so each window takes a pointer, and four with sixteen sums
 * are more than GCC can keep in the core's registers (it spills a third of
 * the loop to the stack). */
#define KILN_PIXELS_STEP(k, pixels)                                                  \
  do {                                                                               \
    const int32_t a_ = x0[k], b_ = x1[k], c_ = (pixels) > 2 ? x2[k] : 0;             \
    int32_t f_ = w[4 * (k)];                                                         \
    s00 += a_ * f_, s10 += b_ * f_;                                                  \
    if ((pixels) > 2) s20 += c_ * f_;                                                \
    f_ = w[4 * (k) + 1];                                                             \
    s01 += a_ * f_, s11 += b_ * f_;                                                  \
    if ((pixels) > 2) s21 += c_ * f_;                                                \
    f_ = w[4 * (k) + 2];                                                             \
    s02 += a_ * f_, s12 += b_ * f_;                                                  \
    if ((pixels) > 2) s22 += c_ * f_;                                                \
    f_ = w[4 * (k) + 3];                                                             \
    s03 += a_ * f_, s13 += b_ * f_;                                                  \
    if ((pixels) > 2) s23 += c_ * f_;                                                \
    KILN_SCHEDULE_BARRIER();                                                         \
  } while (0)

/* The pixels' outputs of the block's first `count` channels. */
#define KILN_STORE_PIXELS(pixels, full_range)                                                                        \
  do {                                                                                                               \
    kiln_rv32_store_channel(clamp, output + n, cols, pixels, s00, s10, s20, 0, requant, n, relu, narrow, full_range); \
    if (count > 1)                                                                                                   \
      kiln_rv32_store_channel(clamp, output + n + 1, cols, pixels, s01, s11, s21, 0, requant, n + 1, relu, narrow,   \
                              full_range);                                                                           \
    if (count > 2)                                                                                                   \
      kiln_rv32_store_channel(clamp, output + n + 2, cols, pixels, s02, s12, s22, 0, requant, n + 2, relu, narrow,   \
                              full_range);                                                                           \
    if (count > 3)                                                                                                   \
      kiln_rv32_store_channel(clamp, output + n + 3, cols, pixels, s03, s13, s23, 0, requant, n + 3, relu, narrow,   \
                              full_range);                                                                           \
  } while (0)

/* Output pixels ox .. ox + pixels - 1 (3 or 2, a constant), every channel
 * group: per channel its constants read once for the pixels. A macro over
 * kiln_direct_rv32_pixels' locals (output, ox, n, k, g, strip, pixel_step,
 * blocks, cols, bias, requant, clamp, relu, narrow): as a function, GCC
 * allocated the three-pixel loop differently. */
#define KILN_PIXELS_BLOCK(pixels)                                                                           \
  do {                                                                                                      \
    const int8_t* w = g->weights;                                                                           \
    for (n = 0; n < cols; n += 4) {                                                                         \
      const int32_t count = cols - n < 4 ? cols - n : 4;                                                    \
      const int16_t* x0 = strip + ox * pixel_step;                                                          \
      const int16_t* x1 = x0 + pixel_step;                                                                  \
      const int16_t* x2 = (pixels) > 2 ? x1 + pixel_step : x1; /* read only for three */                 \
      int32_t s00 = kiln_rv32_bias_at(bias + n, count, 0), s01 = kiln_rv32_bias_at(bias + n, count, 1);     \
      int32_t s02 = kiln_rv32_bias_at(bias + n, count, 2), s03 = kiln_rv32_bias_at(bias + n, count, 3);     \
      int32_t s10 = s00, s11 = s01, s12 = s02, s13 = s03;                                                   \
      int32_t s20 = s00, s21 = s01, s22 = s02, s23 = s03;                                                   \
      for (k = blocks; k > 0; --k, x0 += 4, x1 += 4, x2 += 4, w += 16) {                                    \
        KILN_PIXELS_STEP(0, pixels);                                                                        \
        KILN_PIXELS_STEP(1, pixels);                                                                        \
        KILN_PIXELS_STEP(2, pixels);                                                                        \
        KILN_PIXELS_STEP(3, pixels);                                                                        \
      }                                                                                                     \
      if (clamp.full_range)                                                                                 \
        KILN_STORE_PIXELS(pixels, 1);                                                                       \
      else                                                                                                  \
        KILN_STORE_PIXELS(pixels, 0);                                                                       \
    }                                                                                                       \
  } while (0)

/* The convolution with `relu` (kiln_rv32_output) a constant. */
static KILN_ALWAYS_INLINE void kiln_direct_rv32_pixels(const kiln_direct_rv32_params_t* params, const int8_t* input,
                                                       int8_t* output, void* scratch, const int relu,
                                                       const int narrow) {
  const kiln_direct_rv32_params_t copy = *params; /* a local copy: the int8 stores may alias anything */
  const kiln_conv_window_t p = copy.window;
  const kiln_gemm_s8_params_t* const g = &copy.gemm_params;
  const int32_t cols = g->cols;
  const int32_t blocks = (g->depth + 3) >> 2;
  const int32_t* const bias = g->bias;
  const int32_t* const requant = g->requant;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(g->output_offset, g->act_min, g->act_max);
  int16_t* const strip = (int16_t*)scratch;
  const kiln_conv_strip_t s = kiln_conv_strip_init(&p, strip);
  const int32_t pixel_step = p.stride_w * s.column;
  int32_t b, oy, ox, n, k;
  for (b = 0; b < p.batches; ++b) {
    const int8_t* in_batch = input + b * p.input_h * p.input_w * p.input_c;
    for (oy = 0; oy < p.output_h; ++oy) {
      kiln_conv_strip_fill(&p, &s, in_batch, oy * p.stride_h - p.pad_h, strip);
      for (ox = 0; ox + 3 <= p.output_w; ox += 3, output += 3 * cols) KILN_PIXELS_BLOCK(3);
      /* The row's last two pixels as a pair (eight sums), or its last one
       * alone, four channels per step. */
      if (p.output_w - ox == 2) {
        KILN_PIXELS_BLOCK(2);
        output += 2 * cols;
      } else if (ox < p.output_w) {
        const int8_t* w = g->weights;
        for (n = 0; n < cols; n += 4) {
          const int32_t count = cols - n < 4 ? cols - n : 4;
          const int16_t* x = strip + ox * pixel_step;
          int32_t s0 = kiln_rv32_bias_at(bias + n, count, 0), s1 = kiln_rv32_bias_at(bias + n, count, 1);
          int32_t s2 = kiln_rv32_bias_at(bias + n, count, 2), s3 = kiln_rv32_bias_at(bias + n, count, 3);
          for (k = blocks << 2; k > 0; --k, ++x, w += 4) {
            const int32_t v = *x;
            s0 += v * w[0];
            s1 += v * w[1];
            s2 += v * w[2];
            s3 += v * w[3];
          }
          kiln_rv32_store_row(clamp, output + n, count, s0, s1, s2, s3, requant, n, relu, narrow);
        }
        output += cols;
      }
    }
  }
}

static KILN_ALWAYS_INLINE void kiln_direct_rv32_direct(const kiln_direct_rv32_params_t* params, const int8_t* input,
                                                       int8_t* output, void* scratch, const int narrow) {
  const kiln_gemm_s8_params_t* const g = &params->gemm_params;
  if (narrow && kiln_gemm_s8_clamp(g->output_offset, g->act_min, g->act_max).relu)
    kiln_direct_rv32_pixels(params, input, output, scratch, 1, narrow);
  else
    kiln_direct_rv32_pixels(params, input, output, scratch, 0, narrow);
}

/* The entry points' bodies (kiln/kernels/conv2d_s8_direct_rv32.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_conv2d_s8_direct_rv32_inline(const kiln_conv2d_s8_direct_params_t* params,
                                                                 const int8_t* input, int8_t* output, void* scratch) {
  kiln_direct_rv32_direct(params, input, output, scratch, 0);
}

static KILN_ALWAYS_INLINE void kiln_conv2d_s8_direct_rv32_narrow_inline(const kiln_conv2d_s8_direct_params_t* params,
                                                                        const int8_t* input, int8_t* output,
                                       void* scratch) {
  kiln_direct_rv32_direct(params, input, output, scratch, 1);
}

#undef KILN_PIXELS_STEP
#undef KILN_STORE_PIXELS
#undef KILN_PIXELS_BLOCK

#endif /* KILN_KERNELS_CONV2D_S8_DIRECT_RV32_INLINE_H_ */
