/* max_pool2d_f32: float MAX_POOL_2D, TFLite's reference_ops::MaxPool. */
#include "kiln/kernels/max_pool2d_f32.h"

#include <float.h>

#include "kiln/pool2d.h"

static KILN_ALWAYS_INLINE void max_f32(const void* params, const kiln_pool2d_window_t* w, int32_t c,
                                       const void* input, void* output, int32_t index) {
  const kiln_max_pool2d_f32_params_t* p = (const kiln_max_pool2d_f32_params_t*)params;
  const float* in = (const float*)input;
  float max = -FLT_MAX;
  int32_t fy, fx;
  for (fy = w->fy_start; fy < w->fy_end; ++fy)
    for (fx = w->fx_start; fx < w->fx_end; ++fx) {
      const float v = in[w->base + c + fy * w->row + fx * w->depth];
      if (v > max) max = v;
    }
  if (max < p->activation_min) max = p->activation_min;
  if (max > p->activation_max) max = p->activation_max;
  ((float*)output)[index] = max;
}

void kiln_max_pool2d_f32(const kiln_max_pool2d_f32_params_t* params, const float* input, float* output) {
  const kiln_pool2d_geometry_t g = KILN_POOL2D_GEOMETRY(params);
  kiln_pool2d(&g, params, input, output, max_f32);
}
