/* conv2d_s16: 16x8 CONV_2D. Reference-quality loops; the sum is exact in 64
 * bits and kiln_s16x8_output applies TFLite's accumulator and requantization. */
#include "kiln/kernels/conv2d_s16.h"

#include "kiln/s16x8.h"

void kiln_conv2d_s16(const kiln_conv2d_s16_params_t* params, const int16_t* input,
                     const int8_t* filter, const void* bias, int16_t* output) {
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
    const int16_t* in_batch = input + b * batch_size;
    for (oy = 0; oy < params->output_h; ++oy) {
      const int32_t iy_origin = oy * params->stride_h - params->pad_h;
      for (ox = 0; ox < params->output_w; ++ox) {
        const int32_t ix_origin = ox * params->stride_w - params->pad_w;
        for (oc = 0; oc < output_c; ++oc) {
          const int16_t* in_group = in_batch + (oc / filters_per_group) * filter_c;
          const int8_t* f_oc = filter + oc * filter_size;
          int64_t sum = 0;
          for (ky = 0; ky < filter_h; ++ky) {
            const int32_t iy = iy_origin + params->dilation_h * ky;
            /* Taps outside the image see zero padding: they add nothing. */
            if (iy < 0 || iy >= input_h) continue;
            for (kx = 0; kx < filter_w; ++kx) {
              const int32_t ix = ix_origin + params->dilation_w * kx;
              const int16_t* in_px;
              const int8_t* f_px;
              if (ix < 0 || ix >= input_w) continue;
              in_px = in_group + (iy * input_w + ix) * input_c;
              f_px = f_oc + (ky * filter_w + kx) * filter_c;
              /* Each product fits in 32 bits (128 * 32768 = 2^22). */
              for (ic = 0; ic < filter_c; ++ic) sum += (int32_t)f_px[ic] * (int32_t)in_px[ic];
            }
          }
          *output++ = kiln_s16x8_output(sum, bias, oc, params->accumulator, params->output_multiplier[oc],
                                        params->output_shift[oc], params->act_min, params->act_max);
        }
      }
    }
  }
}
