/* depthwise_conv2d_f32: float DEPTHWISE_CONV_2D. Sums taps in TFLite's order
 * (ky, kx), then adds the bias. */
#include "kiln/kernels/depthwise_conv2d_f32.h"

void kiln_depthwise_conv2d_f32(const kiln_depthwise_conv2d_f32_params_t* params, const float* input,
                               const float* filter, const float* bias, float* output) {
  const int32_t input_h = params->input_h;
  const int32_t input_w = params->input_w;
  const int32_t input_c = params->input_c;
  const int32_t filter_h = params->filter_h;
  const int32_t filter_w = params->filter_w;
  const int32_t output_c = params->output_c;
  const int32_t depth_multiplier = params->depth_multiplier;
  const int32_t batch_size = input_h * input_w * input_c;
  int32_t b, oy, ox, ic, m, ky, kx;

  for (b = 0; b < params->batches; ++b) {
    const float* in_batch = input + b * batch_size;
    for (oy = 0; oy < params->output_h; ++oy) {
      const int32_t iy_origin = oy * params->stride_h - params->pad_h;
      for (ox = 0; ox < params->output_w; ++ox) {
        const int32_t ix_origin = ox * params->stride_w - params->pad_w;
        for (ic = 0; ic < input_c; ++ic) {
          for (m = 0; m < depth_multiplier; ++m) {
            const int32_t oc = ic * depth_multiplier + m;
            float total = 0.0f;
            float value;
            for (ky = 0; ky < filter_h; ++ky) {
              const int32_t iy = iy_origin + params->dilation_h * ky;
              if (iy < 0 || iy >= input_h) continue;
              for (kx = 0; kx < filter_w; ++kx) {
                const int32_t ix = ix_origin + params->dilation_w * kx;
                if (ix < 0 || ix >= input_w) continue;
                total += in_batch[(iy * input_w + ix) * input_c + ic] *
                         filter[(ky * filter_w + kx) * output_c + oc];
              }
            }
            /* TFLite always adds a bias term (0 when absent). */
            value = total + (bias != NULL ? bias[oc] : 0.0f);
            value = value < params->act_min ? params->act_min : value;
            value = value > params->act_max ? params->act_max : value;
            *output++ = value;
          }
        }
      }
    }
  }
}
