/* conv2d_s8: int8 CONV_2D. Reference-quality loops; the requantization is
 * TFLite's (kiln_multiply_by_quantized_multiplier), so results are bit-exact. */
#include "kiln/kernels/conv2d_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"

/* (f + filter_offset) * (x + input_offset) summed over a window is
 * f * (x + input_offset) summed, plus filter_offset times this sum. Only
 * ONNX's shifted uint8 weights have a filter offset: TFLite models never
 * pay for this second pass. */
static int32_t window_input_sum(const kiln_conv2d_s8_params_t* params, const int8_t* in_group,
                                int32_t iy_origin, int32_t ix_origin) {
  int32_t sum = 0, ky, kx, ic;
  for (ky = 0; ky < params->filter_h; ++ky) {
    const int32_t iy = iy_origin + params->dilation_h * ky;
    if (iy < 0 || iy >= params->input_h) continue;
    for (kx = 0; kx < params->filter_w; ++kx) {
      const int32_t ix = ix_origin + params->dilation_w * kx;
      const int8_t* in_px;
      if (ix < 0 || ix >= params->input_w) continue;
      in_px = in_group + (iy * params->input_w + ix) * params->input_c;
      for (ic = 0; ic < params->filter_c; ++ic) sum += (int32_t)in_px[ic] + params->input_offset;
    }
  }
  return sum;
}

/* The end of one output under ONNX's arithmetic: the filter offset's share
 * of the window, then the requantization with ONNX's rounding. */
static KILN_COLD int32_t onnx_requantize(const kiln_conv2d_s8_params_t* params, int32_t acc, int32_t oc,
                               const int8_t* in_group, int32_t iy_origin, int32_t ix_origin) {
  if (params->filter_offset != 0)
    acc += params->filter_offset * window_input_sum(params, in_group, iy_origin, ix_origin);
  return kiln_requantize_acc(acc, params->output_multiplier[oc], (int)params->output_shift[oc],
                             params->round_half_even);
}

void kiln_conv2d_s8(const kiln_conv2d_s8_params_t* params, const int8_t* input,
                    const int8_t* filter, const int32_t* bias, int8_t* output) {
  const int32_t input_h = params->input_h;
  const int32_t input_w = params->input_w;
  const int32_t input_c = params->input_c;
  const int32_t filter_h = params->filter_h;
  const int32_t filter_w = params->filter_w;
  const int32_t filter_c = params->filter_c;
  const int32_t output_c = params->output_c;
  const int32_t input_offset = params->input_offset;
  /* ONNX's arithmetic (a filter offset, half-even rounding) is taken out of
   * line, so that TFLite models pay one branch per output for it. */
  const int onnx = params->filter_offset != 0 || params->round_half_even != 0;
  const int32_t filters_per_group = output_c / (input_c / filter_c);
  const int32_t filter_size = filter_h * filter_w * filter_c;
  const int32_t batch_size = input_h * input_w * input_c;
  int32_t b, oy, ox, oc, ky, kx, ic;

  for (b = 0; b < params->batches; ++b) {
    const int8_t* in_batch = input + b * batch_size;
    for (oy = 0; oy < params->output_h; ++oy) {
      const int32_t iy_origin = oy * params->stride_h - params->pad_h;
      for (ox = 0; ox < params->output_w; ++ox) {
        const int32_t ix_origin = ox * params->stride_w - params->pad_w;
        for (oc = 0; oc < output_c; ++oc) {
          /* The input channels this output channel's group reads. */
          const int8_t* in_group = in_batch + (oc / filters_per_group) * filter_c;
          const int8_t* f_oc = filter + oc * filter_size;
          int32_t acc = 0;
          for (ky = 0; ky < filter_h; ++ky) {
            const int32_t iy = iy_origin + params->dilation_h * ky;
            /* Taps outside the image see zero padding: they add nothing. */
            if (iy < 0 || iy >= input_h) continue;
            for (kx = 0; kx < filter_w; ++kx) {
              const int32_t ix = ix_origin + params->dilation_w * kx;
              const int8_t* in_px;
              const int8_t* f_px;
              if (ix < 0 || ix >= input_w) continue;
              in_px = in_group + (iy * input_w + ix) * input_c;
              f_px = f_oc + (ky * filter_w + kx) * filter_c;
              for (ic = 0; ic < filter_c; ++ic) {
                acc += (int32_t)f_px[ic] * ((int32_t)in_px[ic] + input_offset);
              }
            }
          }
          if (bias != NULL) acc += bias[oc];
          if (onnx) {
            acc = onnx_requantize(params, acc, oc, in_group, iy_origin, ix_origin);
          } else {
            acc = kiln_multiply_by_quantized_multiplier(acc, params->output_multiplier[oc],
                                                        (int)params->output_shift[oc]);
          }
          acc += params->output_offset;
          *output++ = (int8_t)kiln_clamp_i32(acc, params->act_min, params->act_max);
        }
      }
    }
  }
}
