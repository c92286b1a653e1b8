/* max_pool2d_s16: int16 MAX_POOL_2D, TFLite's reference_integer_ops::MaxPool for int16. */
#include "kiln/kernels/max_pool2d_s16.h"

#include "kiln/fixedpoint.h"
#include "kiln/pool2d.h"

static KILN_ALWAYS_INLINE void max_s16(const void* params, const kiln_pool2d_window_t* w, int32_t c,
                                      const void* input, void* output, int32_t index) {
  const kiln_max_pool2d_s16_params_t* p = (const kiln_max_pool2d_s16_params_t*)params;
  const int16_t* in = (const int16_t*)input;
  int32_t max = -32768;
  int32_t fy, fx;
  for (fy = w->fy_start; fy < w->fy_end; ++fy)
    for (fx = w->fx_start; fx < w->fx_end; ++fx) {
      const int32_t v = in[w->base + c + fy * w->row + fx * w->depth];
      if (v > max) max = v;
    }
  ((int16_t*)output)[index] = (int16_t)kiln_clamp_i32(max, p->activation_min, p->activation_max);
}

void kiln_max_pool2d_s16(const kiln_max_pool2d_s16_params_t* params, const int16_t* input, int16_t* output) {
  const kiln_pool2d_geometry_t g = KILN_POOL2D_GEOMETRY(params);
  kiln_pool2d(&g, params, input, output, max_s16);
}
