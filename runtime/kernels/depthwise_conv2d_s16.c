/* depthwise_conv2d_s16: 16x8 DEPTHWISE_CONV_2D. Reference-quality loops;
 * kiln_s16x8_output applies TFLite's 64-bit requantization. */
#include "kiln/kernels/depthwise_conv2d_s16.h"

#include "kiln/s16x8.h"

void kiln_depthwise_conv2d_s16(const kiln_depthwise_conv2d_s16_params_t* params, const int16_t* input,
                               const int8_t* filter, const int64_t* bias, int16_t* output) {
  const int32_t input_h = params->input_h;
  const int32_t input_w = params->input_w;
  const int32_t input_c = params->input_c;
  const int32_t output_c = params->output_c;
  const int32_t multiplier = params->depth_multiplier;
  int32_t b, oy, ox, ic, m, ky, kx;

  for (b = 0; b < params->batches; ++b) {
    const int16_t* in_batch = input + b * input_h * input_w * input_c;
    for (oy = 0; oy < params->output_h; ++oy) {
      const int32_t iy_origin = oy * params->stride_h - params->pad_h;
      for (ox = 0; ox < params->output_w; ++ox) {
        const int32_t ix_origin = ox * params->stride_w - params->pad_w;
        for (ic = 0; ic < input_c; ++ic) {
          for (m = 0; m < multiplier; ++m) {
            const int32_t oc = ic * multiplier + m;
            int64_t sum = 0;
            for (ky = 0; ky < params->filter_h; ++ky) {
              const int32_t iy = iy_origin + params->dilation_h * ky;
              /* Taps outside the image see zero padding: they add nothing. */
              if (iy < 0 || iy >= input_h) continue;
              for (kx = 0; kx < params->filter_w; ++kx) {
                const int32_t ix = ix_origin + params->dilation_w * kx;
                if (ix < 0 || ix >= input_w) continue;
                sum += (int32_t)filter[(ky * params->filter_w + kx) * output_c + oc] *
                       (int32_t)in_batch[(iy * input_w + ix) * input_c + ic];
              }
            }
            *output++ = kiln_s16x8_output(sum, bias, oc, KILN_S16X8_ACC64, params->output_multiplier[oc],
                                          params->output_shift[oc], params->act_min, params->act_max);
          }
        }
      }
    }
  }
}
