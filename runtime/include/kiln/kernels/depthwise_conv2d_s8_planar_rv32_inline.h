/* depthwise_conv2d_s8_planar_rv32: see the header. Its body, every function inline: the
 * runtime's entry points (kernels/depthwise_conv2d_s8_planar_rv32.c) and the shape-specialised copies
 * of generated code (docs/schedules.md) are both made of it. */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_RV32_INLINE_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_RV32_INLINE_H_
#include "kiln/kernels/depthwise_conv2d_s8_planar_rv32.h"

#include "kiln/depthwise_plane.h"
#include "kiln/gemm.h"
#include "kiln/runtime.h"
#include "kiln/rv32_common.h"

typedef kiln_depthwise_conv2d_s8_planar_rv32_params_t kiln_dw_planar_rv32_params_t;

/* A channel's nine weights: locals, so that they stay in registers. */
typedef struct {
  int32_t w0, w1, w2, w3, w4, w5, w6, w7, w8;
} kiln_dw_planar_rv32_taps_t;

/* The sums of two neighbouring outputs. */
typedef struct {
  int32_t s0, s1;
} kiln_dw_planar_rv32_sums_t;

/* Filter row (a, b, c) of the outputs at columns 0 and `stride` of `x`:
 * the row's columns 0..2 and stride..stride+2, each loaded once. */
#define KILN_ROW(s, x, a, b, c, stride)                                    \
  do {                                                                     \
    const int32_t x0_ = (x)[0], x1_ = (x)[1], x2_ = (x)[2], x3_ = (x)[3];  \
    (s).s0 += x0_ * (a) + x1_ * (b) + x2_ * (c);                           \
    if ((stride) == 1) {                                                   \
      (s).s1 += x1_ * (a) + x2_ * (b) + x3_ * (c);                         \
    } else {                                                               \
      const int32_t x4_ = (x)[4];                                          \
      (s).s1 += x2_ * (a) + x3_ * (b) + x4_ * (c);                         \
    }                                                                      \
    KILN_SCHEDULE_BARRIER();                                               \
  } while (0)

/* The sums of four neighbouring outputs. */
typedef struct {
  int32_t s0, s1, s2, s3;
} kiln_dw_planar_rv32_quad_t;

/* Filter row (a, b, c) of the outputs at columns 0, 2, 4 and 6 of `x` (stride
 * 2): the row's columns 0..8, each loaded once, 9 loads for 12
 * multiply-accumulates against 10 for two pairs. At stride 1 four outputs
 * keep more values live than the core's registers hold beside the channel's
 * weights and output constants (GCC spills those), so that stride takes
 * pairs. */
#define KILN_ROW4(s, x, a, b, c)                                                                            \
  do {                                                                                                     \
    const int32_t x0_ = (x)[0], x1_ = (x)[1], x2_ = (x)[2], x3_ = (x)[3], x4_ = (x)[4];                    \
    (s).s0 += x0_ * (a) + x1_ * (b) + x2_ * (c);                                                           \
    (s).s1 += x2_ * (a) + x3_ * (b) + x4_ * (c);                                                           \
    KILN_SCHEDULE_BARRIER();                                                                               \
    {                                                                                                      \
      const int32_t x5_ = (x)[5], x6_ = (x)[6], x7_ = (x)[7], x8_ = (x)[8];                                \
      (s).s2 += x4_ * (a) + x5_ * (b) + x6_ * (c);                                                         \
      (s).s3 += x6_ * (a) + x7_ * (b) + x8_ * (c);                                                         \
    }                                                                                                      \
    KILN_SCHEDULE_BARRIER();                                                                               \
  } while (0)

/* The outputs at x[0], x[2], x[4] and x[6] of the plane (stride 2). */
static KILN_ALWAYS_INLINE kiln_dw_planar_rv32_quad_t kiln_dw_planar_rv32_four_outputs(
    const int8_t* x, int32_t plane_w, const kiln_dw_planar_rv32_taps_t* t, int32_t bias) {
  kiln_dw_planar_rv32_quad_t s;
  s.s0 = s.s1 = s.s2 = s.s3 = bias;
  KILN_ROW4(s, x, t->w0, t->w1, t->w2);
  KILN_ROW4(s, x + plane_w, t->w3, t->w4, t->w5);
  KILN_ROW4(s, x + 2 * plane_w, t->w6, t->w7, t->w8);
  return s;
}

/* The outputs at x[0] and x[stride] of the plane (rows plane_w apart). */
static KILN_ALWAYS_INLINE kiln_dw_planar_rv32_sums_t kiln_dw_planar_rv32_two_outputs(const int8_t* x,
                                                                                     int32_t plane_w, const kiln_dw_planar_rv32_taps_t* t, int32_t bias,
                                             const int stride) {
  kiln_dw_planar_rv32_sums_t s;
  s.s0 = s.s1 = bias;
  KILN_ROW(s, x, t->w0, t->w1, t->w2, stride);
  KILN_ROW(s, x + plane_w, t->w3, t->w4, t->w5, stride);
  KILN_ROW(s, x + 2 * plane_w, t->w6, t->w7, t->w8, stride);
  return s;
}

/* Output channel c over the whole output. */
static KILN_ALWAYS_INLINE void kiln_dw_planar_rv32_channel(const kiln_dw_planar_rv32_params_t* p,
                                                           const int8_t* plane, int32_t plane_w, int32_t c,
                                       int8_t* out, const int relu, const int narrow, const int full_range,
                                       const int stride) {
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(p->output_offset, p->act_min, p->act_max);
  const int16_t* const w = (const int16_t*)(const void*)(p->weights + 5 * c);
  const kiln_dw_planar_rv32_taps_t t = {w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]};
  const int32_t bias = p->bias[c];
  const kiln_rv32_requant_t rq = kiln_rv32_requant_at(p->requant, c, relu);
  /* The int8 range by two compares where the loop keeps the constants. */
  const int clamp_form = relu && full_range ? KILN_RV32_INT8_BY_COMPARES : full_range;
  const int32_t channels = p->window.input_c * p->depth_multiplier; /* the output's */
  const int32_t row_step = p->window.stride_h * plane_w;
  /* Stride 2 takes outputs in fours, then at most one pair; stride 1 in pairs. */
  const int32_t quads = stride == 2 ? p->window.output_w >> 2 : 0;
  const int32_t pairs = (p->window.output_w - 4 * quads) >> 1;
  int32_t oy, ox;
  for (oy = 0; oy < p->window.output_h; ++oy, plane += row_step) {
    int8_t* o = out + oy * p->window.output_w * channels;
    const int8_t* x = plane;
    for (ox = quads; ox > 0; --ox, x += 8, o += 4 * channels) {
      const kiln_dw_planar_rv32_quad_t s = kiln_dw_planar_rv32_four_outputs(x, plane_w, &t, bias);
      o[0] = kiln_rv32_output(clamp, s.s0, rq, relu, narrow, clamp_form);
      o[channels] = kiln_rv32_output(clamp, s.s1, rq, relu, narrow, clamp_form);
      o[2 * channels] = kiln_rv32_output(clamp, s.s2, rq, relu, narrow, clamp_form);
      o[3 * channels] = kiln_rv32_output(clamp, s.s3, rq, relu, narrow, clamp_form);
    }
    /* Two pairs a turn (one after the other: no more values live), the
     * loop's steps and branch once per four outputs. */
    for (ox = pairs >> 1; ox > 0; --ox, x += 4 * stride, o += 4 * channels) {
      kiln_dw_planar_rv32_sums_t s = kiln_dw_planar_rv32_two_outputs(x, plane_w, &t, bias, stride);
      o[0] = kiln_rv32_output(clamp, s.s0, rq, relu, narrow, clamp_form);
      o[channels] = kiln_rv32_output(clamp, s.s1, rq, relu, narrow, clamp_form);
      s = kiln_dw_planar_rv32_two_outputs(x + 2 * stride, plane_w, &t, bias, stride);
      o[2 * channels] = kiln_rv32_output(clamp, s.s0, rq, relu, narrow, clamp_form);
      o[3 * channels] = kiln_rv32_output(clamp, s.s1, rq, relu, narrow, clamp_form);
    }
    if (pairs & 1) {
      const kiln_dw_planar_rv32_sums_t s = kiln_dw_planar_rv32_two_outputs(x, plane_w, &t, bias, stride);
      o[0] = kiln_rv32_output(clamp, s.s0, rq, relu, narrow, clamp_form);
      o[channels] = kiln_rv32_output(clamp, s.s1, rq, relu, narrow, clamp_form);
      x += 2 * stride;
      o += 2 * channels;
    }
    if (p->window.output_w & 1) { /* an odd row's last output */
      const kiln_dw_planar_rv32_sums_t s = kiln_dw_planar_rv32_two_outputs(x, plane_w, &t, bias, stride);
      o[0] = kiln_rv32_output(clamp, s.s0, rq, relu, narrow, clamp_form);
    }
  }
}

static KILN_ALWAYS_INLINE void kiln_dw_planar_rv32_depthwise(const kiln_dw_planar_rv32_params_t* params,
                                                             const int8_t* input, int8_t* output,
                                         void* scratch, const int narrow) {
  /* A local copy: the int8 stores may alias anything. */
  const kiln_dw_planar_rv32_params_t p = *params;
  /* kiln_rv32_output's form, a constant in each copy of the channel loop. */
  const int relu = narrow && kiln_gemm_s8_clamp(p.output_offset, p.act_min, p.act_max).relu;
#define KILN_CHANNEL(plane, plane_w, oc, out, full_range, stride)                         \
  do {                                                                                  \
    if (relu)                                                                           \
      kiln_dw_planar_rv32_channel(&p, plane, plane_w, oc, out, 1, narrow, full_range, stride); \
    else                                                                                \
      kiln_dw_planar_rv32_channel(&p, plane, plane_w, oc, out, 0, narrow, full_range, stride); \
  } while (0)
  KILN_DEPTHWISE_PLANES(p, input, output, scratch, 1, KILN_CHANNEL);
#undef KILN_CHANNEL
}

/* The entry points' bodies (kiln/kernels/depthwise_conv2d_s8_planar_rv32.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_depthwise_conv2d_s8_planar_rv32_inline(const kiln_depthwise_conv2d_s8_planar_rv32_params_t* params, const int8_t* input, int8_t* output,
                                          void* scratch) {
  kiln_dw_planar_rv32_depthwise(params, input, output, scratch, 0);
}

static KILN_ALWAYS_INLINE void kiln_depthwise_conv2d_s8_planar_rv32_narrow_inline(const kiln_depthwise_conv2d_s8_planar_rv32_params_t* params, const int8_t* input, int8_t* output,
                                                 void* scratch) {
  kiln_dw_planar_rv32_depthwise(params, input, output, scratch, KILN_REQUANT_NARROW_DOUBLED);
}

#undef KILN_ROW
#undef KILN_ROW4

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_RV32_INLINE_H_ */
