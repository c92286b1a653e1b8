/* select: walks the output in order, each operand by its own steps. */
#include "kiln/kernels/select.h"

void kiln_select(const kiln_select_params_t* params, const uint8_t* condition, const void* x, const void* y,
                 void* output) {
  const int32_t size = params->element_size;
  const int32_t* d = params->dims;
  const int32_t* cs = params->condition_step;
  const int32_t* xs = params->x_step;
  const int32_t* ys = params->y_step;
  uint8_t* out = (uint8_t*)output;
  int32_t i0, i1, i2, i3, i4, b;
  for (i0 = 0; i0 < d[0]; ++i0)
    for (i1 = 0; i1 < d[1]; ++i1)
      for (i2 = 0; i2 < d[2]; ++i2)
        for (i3 = 0; i3 < d[3]; ++i3)
          for (i4 = 0; i4 < d[4]; ++i4) {
            const int32_t c = i0 * cs[0] + i1 * cs[1] + i2 * cs[2] + i3 * cs[3] + i4 * cs[4];
            const uint8_t* src =
                condition[c] ? (const uint8_t*)x + (i0 * xs[0] + i1 * xs[1] + i2 * xs[2] + i3 * xs[3] + i4 * xs[4]) * size
                             : (const uint8_t*)y + (i0 * ys[0] + i1 * ys[1] + i2 * ys[2] + i3 * ys[3] + i4 * ys[4]) * size;
            for (b = 0; b < size; ++b) *out++ = src[b];
          }
}
