/* resize_bilinear_s8: four weighted source pixels in 1/2^20, rounded half
 * away from zero (TFLite's rounding without TFLITE_SINGLE_ROUNDING). */
#include "kiln/kernels/resize_bilinear_s8.h"

void kiln_resize_bilinear_s8(const kiln_resize_bilinear_s8_params_t* params, const int8_t* input,
                             int8_t* output) {
  const int32_t channels = params->channels;
  const int32_t row = params->input_w * channels;
  int32_t b, y, x, c;
  for (b = 0; b < params->batches; ++b) {
    const int8_t* in = input + b * params->input_h * row;
    for (y = 0; y < params->output_h; ++y) {
      const int8_t* lo_row = in + params->row_lo[y] * row;
      const int8_t* hi_row = in + params->row_hi[y] * row;
      const int32_t wy = params->row_weight[y];
      for (x = 0; x < params->output_w; ++x) {
        const int32_t wx = params->col_weight[x];
        const int8_t* p00 = lo_row + params->col_lo[x] * channels;
        const int8_t* p01 = lo_row + params->col_hi[x] * channels;
        const int8_t* p10 = hi_row + params->col_lo[x] * channels;
        const int8_t* p11 = hi_row + params->col_hi[x] * channels;
        /* |weights| sum to at most 2048 x 2048 per axis pair, so the sum
         * of four terms stays below 2^29 in magnitude. */
        const int32_t w00 = (1024 - wy) * (1024 - wx), w10 = wy * (1024 - wx);
        const int32_t w01 = (1024 - wy) * wx, w11 = wy * wx;
        for (c = 0; c < channels; ++c) {
          const int32_t sum = p00[c] * w00 + p10[c] * w10 + p01[c] * w01 + p11[c] * w11;
          const int32_t round = sum > 0 ? (1 << 19) : -(1 << 19);
          *output++ = (int8_t)((sum + round) / (1 << 20));
        }
      }
    }
  }
}
