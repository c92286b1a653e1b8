/* depthwise_conv2d_s8_dsp: see the header. Interior pixels (every tap
 * inside the image) run a loop without bounds checks; border pixels read
 * the zero point for taps outside, which the folded bias cancels exactly. */
#include "kiln/kernels/depthwise_conv2d_s8_dsp.h"

#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"
#include "kiln/simd.h"

typedef kiln_depthwise_conv2d_s8_dsp_params_t params_t;

/* The up to 4 channels of one tap from `p`; `count` < 4 only in the last
 * block, which must not read past the pixel. */
static KILN_ALWAYS_INLINE uint32_t read_channels(const int8_t* p, int32_t count) {
  uint32_t v = 0;
  int32_t i;
  if (count == 4) return kiln_read_s8x4(p);
  for (i = 0; i < count; ++i) v |= (uint32_t)(uint8_t)p[i] << (8 * i);
  return v;
}

static inline int8_t finish(const params_t* params, int32_t acc, int32_t c) {
  acc = kiln_requantize(acc, params->multiplier[c], (int)params->shift[c]) + params->output_offset;
  return (int8_t)kiln_clamp_i32(acc, params->act_min, params->act_max);
}

/* One output pixel, channels c..c+count-1, from the window at (iy0, ix0). */
static KILN_ALWAYS_INLINE void pixel_block(const params_t* params, const int8_t* in_batch, int32_t iy0,
                               int32_t ix0, int32_t c, int32_t count, const uint32_t* w,
                               int border, uint32_t zero_points, int8_t* out) {
  const int32_t row_bytes = params->input_w * params->channels;
  const int32_t tap_step = params->dilation_w * params->channels;
  int32_t acc0 = params->bias[c];
  int32_t acc1 = count > 1 ? params->bias[c + 1] : 0;
  int32_t acc2 = count > 2 ? params->bias[c + 2] : 0;
  int32_t acc3 = count > 3 ? params->bias[c + 3] : 0;
  int32_t ky, kx;
  for (ky = 0; ky < params->filter_h; ++ky) {
    const int32_t iy = iy0 + ky * params->dilation_h;
    const int8_t* p = in_batch + iy * row_bytes + ix0 * params->channels + c;
    for (kx = 0; kx < params->filter_w; ++kx, p += tap_step, w += 2) {
      uint32_t x;
      if (border) {
        const int32_t ix = ix0 + kx * params->dilation_w;
        x = (iy < 0 || iy >= params->input_h || ix < 0 || ix >= params->input_w)
                ? zero_points
                : read_channels(p, count);
      } else {
        x = read_channels(p, count);
      }
      {
        const uint32_t xe = kiln_sxtb16(x), xo = kiln_sxtb16_ror8(x);
        acc0 = kiln_smlabb(xe, w[0], acc0);
        acc2 = kiln_smlatt(xe, w[0], acc2);
        acc1 = kiln_smlabb(xo, w[1], acc1);
        acc3 = kiln_smlatt(xo, w[1], acc3);
      }
    }
  }
  out[c] = finish(params, acc0, c);
  if (count > 1) out[c + 1] = finish(params, acc1, c + 1);
  if (count > 2) out[c + 2] = finish(params, acc2, c + 2);
  if (count > 3) out[c + 3] = finish(params, acc3, c + 3);
}

void kiln_depthwise_conv2d_s8_dsp(const params_t* params, const int8_t* input, int8_t* output) {
  const int32_t channels = params->channels;
  const int32_t taps = params->filter_h * params->filter_w;
  const uint32_t zp = (uint8_t)(int8_t)params->input_zero_point;
  const uint32_t zero_points = zp | zp << 8 | zp << 16 | zp << 24;
  const int32_t last_y = (params->filter_h - 1) * params->dilation_h;
  const int32_t last_x = (params->filter_w - 1) * params->dilation_w;
  int32_t b, oy, ox, c;
  for (b = 0; b < params->batches; ++b) {
    const int8_t* in_batch = input + b * params->input_h * params->input_w * channels;
    for (oy = 0; oy < params->output_h; ++oy) {
      const int32_t iy0 = oy * params->stride_h - params->pad_h;
      const int rows_inside = iy0 >= 0 && iy0 + last_y < params->input_h;
      for (ox = 0; ox < params->output_w; ++ox) {
        const int32_t ix0 = ox * params->stride_w - params->pad_w;
        const int inside = rows_inside && ix0 >= 0 && ix0 + last_x < params->input_w;
        const uint32_t* w = params->weights;
        for (c = 0; c + 4 <= channels; c += 4, w += 2 * taps) {
          if (inside)
            pixel_block(params, in_batch, iy0, ix0, c, 4, w, 0, zero_points, output);
          else
            pixel_block(params, in_batch, iy0, ix0, c, 4, w, 1, zero_points, output);
        }
        if (c < channels)
          pixel_block(params, in_batch, iy0, ix0, c, channels - c, w, 1, zero_points, output);
        output += channels;
      }
    }
  }
}
