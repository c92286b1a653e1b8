/* resize_bilinear_f32: the reference's expression, term for term and in its
 * order, so that the float result is the same. */
#include "kiln/kernels/resize_bilinear_f32.h"

void kiln_resize_bilinear_f32(const kiln_resize_bilinear_f32_params_t* params, const float* input,
                              float* output) {
  const int32_t channels = params->channels;
  const int32_t row = params->input_w * channels;
  int32_t b, y, x, c;
  for (b = 0; b < params->batches; ++b) {
    const float* in = input + b * params->input_h * row;
    for (y = 0; y < params->output_h; ++y) {
      const float* lo_row = in + params->row_lo[y] * row;
      const float* hi_row = in + params->row_hi[y] * row;
      const float dy = params->row_frac[y];
      for (x = 0; x < params->output_w; ++x) {
        const float dx = params->col_frac[x];
        const float* p00 = lo_row + params->col_lo[x] * channels;
        const float* p01 = lo_row + params->col_hi[x] * channels;
        const float* p10 = hi_row + params->col_lo[x] * channels;
        const float* p11 = hi_row + params->col_hi[x] * channels;
        for (c = 0; c < channels; ++c) {
          /* + 0.0f as the reference adds its rounding offset (0 for
           * float): it turns a -0 sum into +0. */
          *output++ = p00[c] * (1 - dy) * (1 - dx) + p10[c] * dy * (1 - dx) + p01[c] * (1 - dy) * dx +
                      p11[c] * dy * dx + 0.0f;
        }
      }
    }
  }
}
