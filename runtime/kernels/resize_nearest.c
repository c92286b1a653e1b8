/* resize_nearest: copies each output pixel from its source pixel. */
#include "kiln/kernels/resize_nearest.h"

void kiln_resize_nearest(const kiln_resize_nearest_params_t* params, const void* input, void* output) {
  const int32_t pixel = params->pixel_bytes;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t b, y, x, i;
  for (b = 0; b < params->batches; ++b) {
    const uint8_t* in_batch = in + b * params->input_h * params->input_w * pixel;
    for (y = 0; y < params->output_h; ++y) {
      const uint8_t* in_row = in_batch + params->source_row[y] * params->input_w * pixel;
      for (x = 0; x < params->output_w; ++x) {
        const uint8_t* src = in_row + params->source_col[x] * pixel;
        /* A plain loop rather than memcpy: the runtime needs no libc. */
        for (i = 0; i < pixel; ++i) *out++ = src[i];
      }
    }
  }
}
