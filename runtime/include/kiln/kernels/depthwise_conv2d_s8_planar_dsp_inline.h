/* depthwise_conv2d_s8_planar_dsp: see the header. Its body, every function inline: the
 * runtime's entry points (kernels/depthwise_conv2d_s8_planar_dsp.c) and the shape-specialised copies
 * of generated code (docs/schedules.md) are both made of it. */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_DSP_INLINE_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_DSP_INLINE_H_
#include "kiln/kernels/depthwise_conv2d_s8_planar_dsp.h"

#include "kiln/depthwise_plane.h"
#include "kiln/gemm.h"
#include "kiln/runtime.h"
#include "kiln/simd.h"

typedef kiln_depthwise_conv2d_s8_planar_dsp_params_t kiln_dw_planar_params_t;

/* The sums of two neighbouring output pixels (a struct, not an array, so
 * that they stay in registers). */
typedef struct {
  int32_t s0, s1;
} kiln_dw_planar_sums_t;

/* Filter row `row` (w0, w1, w2; a literal) for the outputs at x[0] and
 * x[stride] (`stride` 1 or 2, a constant); `w` holds the rows' int16 pairs
 * (w0, w2) as words 0-2, then their w1 as (w1 of row 0, w1 of row 1) and
 * (w1 of row 2, 0): nine weights in five words, the halves picked by the
 * multiply (SMLAxB or SMLAxT), one register fewer than a word per w1.
 * x[0..3] are read as one word, whose (x0, x2) and (x1, x3) pairs both
 * outputs share: at stride 1 eight instructions for six
 * multiply-accumulates; at stride 2 the second output takes x2, x3 from the
 * halves and x4 as a byte, nine. */
#define KILN_W1_WORD(w, row) ((w)[3 + ((row) >> 1)])
#define KILN_TIMES_W1(bottom, top, a, w1, acc, row) ((row) == 1 ? top(a, w1, acc) : bottom(a, w1, acc))
#define KILN_FILTER_ROW(s, x, w, row, stride)                                                    \
  do {                                                                                           \
    const uint32_t w02_ = (w)[(row)], w1_ = KILN_W1_WORD(w, row);                                \
    const uint32_t word_ = kiln_read_s8x4(x);                                                    \
    const uint32_t e_ = kiln_sxtb16(word_), o_ = kiln_sxtb16_ror8(word_);                        \
    (s).s0 = KILN_TIMES_W1(kiln_smlabb, kiln_smlabt, o_, w1_, kiln_smlad(e_, w02_, (s).s0), row); /* x0w0 + x2w2, x1w1 */ \
    if ((stride) == 1) {                                                                         \
      (s).s1 = KILN_TIMES_W1(kiln_smlatb, kiln_smlatt, e_, w1_, kiln_smlad(o_, w02_, (s).s1), row); /* x1w0 + x3w2, x2w1 */ \
    } else {                                                                                     \
      const uint32_t x4_ = (uint32_t)(int32_t)(x)[4];                                            \
      (s).s1 = kiln_smlabt(x4_, w02_, KILN_TIMES_W1(kiln_smlatb, kiln_smlatt, o_, w1_, kiln_smlatb(e_, w02_, (s).s1), row)); /* x2w0, x3w1, x4w2 */ \
    }                                                                                            \
  } while (0)

/* The two outputs at x[0] and x[stride] of the plane (rows plane_w apart). */
static KILN_ALWAYS_INLINE kiln_dw_planar_sums_t kiln_dw_planar_two_outputs(const int8_t* x, int32_t plane_w,
                                                                           const uint32_t* w, int32_t bias,
                                             const int stride) {
  kiln_dw_planar_sums_t s;
  s.s0 = s.s1 = bias;
  KILN_FILTER_ROW(s, x, w, 0, stride);
  x += plane_w;
  KILN_FILTER_ROW(s, x, w, 1, stride);
  x += plane_w;
  KILN_FILTER_ROW(s, x, w, 2, stride);
  return s;
}

/* At stride 1 both ways, the 2x2 outputs at x[0], x[1] and the row below:
 * input row r feeds filter row r of the top pair and row r - 1 of the
 * bottom one, its word loaded and split once for both. Four rows for four
 * outputs where two outputs take three, and each weight word loaded once
 * for four. (At stride 2 a block would share one row in five; not worth
 * its code.) */
static KILN_ALWAYS_INLINE void kiln_dw_planar_four_outputs(const int8_t* x, int32_t plane_w, const uint32_t* w,
                                                           int32_t bias,
                                            kiln_dw_planar_sums_t* top, kiln_dw_planar_sums_t* bottom) {
  kiln_dw_planar_sums_t t, b;
  t.s0 = t.s1 = b.s0 = b.s1 = bias;
  KILN_FILTER_ROW(t, x, w, 0, 1);
  x += plane_w;
  KILN_FILTER_ROW(t, x, w, 1, 1);
  KILN_FILTER_ROW(b, x, w, 0, 1);
  x += plane_w;
  KILN_FILTER_ROW(t, x, w, 2, 1);
  KILN_FILTER_ROW(b, x, w, 1, 1);
  x += plane_w;
  KILN_FILTER_ROW(b, x, w, 2, 1);
  *top = t;
  *bottom = b;
}

/* Output channel c over the whole output, its constants in registers: at
 * stride 1 both ways (`stride` 1 and `unit_rows`), rows in pairs as 2x2
 * blocks; then any last row (every row otherwise) in pairs of outputs. */
static KILN_ALWAYS_INLINE void kiln_dw_planar_channel(const kiln_dw_planar_params_t* p, const int8_t* plane,
                                                      int32_t plane_w, int32_t c,
                                       int8_t* out, const int narrow, const int full_range, const int stride,
                                       const int unit_rows) {
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(p->output_offset, p->act_min, p->act_max);
  const uint32_t* const w = p->weights + 5 * c;
  const int32_t bias = p->bias[c];
  const int32_t multiplier = p->requant[2 * c], shift = p->requant[2 * c + 1];
  const int32_t channels = p->window.input_c * p->depth_multiplier; /* the output's */
  const int32_t row_step = p->window.stride_h * plane_w;
  const int32_t out_row = p->window.output_w * channels;
  const int32_t pairs = p->window.output_w >> 1;
  int32_t oy = 0, ox;
#define KILN_STORE(at, sum) (at) = kiln_gemm_s8_output(clamp, (sum), multiplier, shift, narrow, full_range)
  if (stride == 1 && unit_rows) {
    for (; oy + 2 <= p->window.output_h; oy += 2, plane += 2 * row_step) {
      int8_t* o = out + oy * out_row;
      const int8_t* x = plane;
      kiln_dw_planar_sums_t top, bottom;
      for (ox = pairs; ox > 0; --ox, x += 2, o += 2 * channels) {
        kiln_dw_planar_four_outputs(x, plane_w, w, bias, &top, &bottom);
        KILN_STORE(o[0], top.s0);
        KILN_STORE(o[channels], top.s1);
        KILN_STORE(o[out_row], bottom.s0);
        KILN_STORE(o[out_row + channels], bottom.s1);
      }
      if (p->window.output_w & 1) { /* an odd row's last outputs */
        kiln_dw_planar_four_outputs(x, plane_w, w, bias, &top, &bottom);
        KILN_STORE(o[0], top.s0);
        KILN_STORE(o[out_row], bottom.s0);
      }
    }
  }
  for (; oy < p->window.output_h; ++oy, plane += row_step) {
    int8_t* o = out + oy * out_row;
    const int8_t* x = plane;
    for (ox = pairs; ox > 0; --ox, x += 2 * stride, o += 2 * channels) {
      const kiln_dw_planar_sums_t s = kiln_dw_planar_two_outputs(x, plane_w, w, bias, stride);
      KILN_STORE(o[0], s.s0);
      KILN_STORE(o[channels], s.s1);
    }
    if (p->window.output_w & 1) { /* an odd row's last output */
      const kiln_dw_planar_sums_t s = kiln_dw_planar_two_outputs(x, plane_w, w, bias, stride);
      KILN_STORE(o[0], s.s0);
    }
  }
#undef KILN_STORE
}

static KILN_ALWAYS_INLINE void kiln_dw_planar_depthwise(const kiln_dw_planar_params_t* params, const int8_t* input,
                                                        int8_t* output,
                                         void* scratch, const int narrow) {
  /* A local copy: the int8 stores may alias anything, and would otherwise
   * make every field a reload after each store. */
  const kiln_dw_planar_params_t p = *params;
  const int unit_rows = p.window.stride_h == 1;
#define KILN_CHANNEL(plane, plane_w, oc, out, full_range, stride) \
  kiln_dw_planar_channel(&p, plane, plane_w, oc, out, narrow, full_range, stride, unit_rows)
  KILN_DEPTHWISE_PLANES(p, input, output, scratch, KILN_DEPTHWISE_PLANES_KEPT(p), KILN_CHANNEL);
#undef KILN_CHANNEL
}

/* The entry points' bodies (kiln/kernels/depthwise_conv2d_s8_planar_dsp.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_depthwise_conv2d_s8_planar_dsp_inline(const kiln_depthwise_conv2d_s8_planar_dsp_params_t* params, const int8_t* input, int8_t* output,
                                         void* scratch) {
  kiln_dw_planar_depthwise(params, input, output, scratch, 0);
}

static KILN_ALWAYS_INLINE void kiln_depthwise_conv2d_s8_planar_dsp_narrow_inline(const kiln_depthwise_conv2d_s8_planar_dsp_params_t* params, const int8_t* input, int8_t* output,
                                                void* scratch) {
  if (KILN_REQUANT_TAKES_RELU(params->output_offset, params->act_min))
    kiln_dw_planar_depthwise(params, input, output, scratch, KILN_REQUANT_NARROW_DOUBLED | KILN_REQUANT_RELU);
  else
    kiln_dw_planar_depthwise(params, input, output, scratch, KILN_REQUANT_NARROW_DOUBLED);
}

#undef KILN_FILTER_ROW
#undef KILN_TIMES_W1
#undef KILN_W1_WORD

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S8_PLANAR_DSP_INLINE_H_ */
