/* conv2d_f32: float CONV_2D. Sums taps in TFLite's order (ky, kx, channel),
 * then adds the bias, so results match the reference to the last bit on
 * targets with IEEE single precision and no fused multiply-add contraction. */
#include "kiln/kernels/conv2d_f32.h"

void kiln_conv2d_f32(const kiln_conv2d_f32_params_t* params, const float* input,
                     const float* filter, const float* bias, float* output) {
  const int32_t input_h = params->input_h;
  const int32_t input_w = params->input_w;
  const int32_t input_c = params->input_c;
  const int32_t filter_h = params->filter_h;
  const int32_t filter_w = params->filter_w;
  const int32_t filter_c = params->filter_c;
  const int32_t output_c = params->output_c;
  const int32_t filters_per_group = output_c / (input_c / filter_c);
  const int32_t filter_size = filter_h * filter_w * filter_c;
  const int32_t batch_size = input_h * input_w * input_c;
  int32_t b, oy, ox, oc, ky, kx, ic;

  for (b = 0; b < params->batches; ++b) {
    const float* in_batch = input + b * batch_size;
    for (oy = 0; oy < params->output_h; ++oy) {
      const int32_t iy_origin = oy * params->stride_h - params->pad_h;
      for (ox = 0; ox < params->output_w; ++ox) {
        const int32_t ix_origin = ox * params->stride_w - params->pad_w;
        for (oc = 0; oc < output_c; ++oc) {
          const float* in_group = in_batch + (oc / filters_per_group) * filter_c;
          const float* f_oc = filter + oc * filter_size;
          float total = 0.0f;
          float value;
          for (ky = 0; ky < filter_h; ++ky) {
            const int32_t iy = iy_origin + params->dilation_h * ky;
            if (iy < 0 || iy >= input_h) continue;
            for (kx = 0; kx < filter_w; ++kx) {
              const int32_t ix = ix_origin + params->dilation_w * kx;
              const float* in_px;
              const float* f_px;
              if (ix < 0 || ix >= input_w) continue;
              in_px = in_group + (iy * input_w + ix) * input_c;
              f_px = f_oc + (ky * filter_w + kx) * filter_c;
              for (ic = 0; ic < filter_c; ++ic) total += in_px[ic] * f_px[ic];
            }
          }
          /* TFLite always adds a bias term (0 when absent): -0 becomes +0. */
          value = total + (bias != NULL ? bias[oc] : 0.0f);
          value = value < params->act_min ? params->act_min : value;
          value = value > params->act_max ? params->act_max : value;
          *output++ = value;
        }
      }
    }
  }
}
