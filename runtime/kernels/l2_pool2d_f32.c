/* l2_pool2d_f32: float L2_POOL_2D, TFLite's reference_ops::L2Pool. */
#include "kiln/kernels/l2_pool2d_f32.h"

#include <math.h>

#include "kiln/pool2d.h"

static KILN_ALWAYS_INLINE void l2_f32(const void* params, const kiln_pool2d_window_t* w, int32_t c,
                                      const void* input, void* output, int32_t index) {
  const kiln_l2_pool2d_f32_params_t* p = (const kiln_l2_pool2d_f32_params_t*)params;
  const float* in = (const float*)input;
  /* Squares summed in TFLite's order; the count an integer, as TFLite's. */
  float sum_squares = 0.0f;
  int32_t count = 0;
  float result;
  int32_t fy, fx;
  for (fy = w->fy_start; fy < w->fy_end; ++fy)
    for (fx = w->fx_start; fx < w->fx_end; ++fx) {
      const float v = in[w->base + c + fy * w->row + fx * w->depth];
      sum_squares += v * v;
      ++count;
    }
  result = sqrtf(sum_squares / (float)count);
  if (result < p->activation_min) result = p->activation_min;
  if (result > p->activation_max) result = p->activation_max;
  ((float*)output)[index] = result;
}

void kiln_l2_pool2d_f32(const kiln_l2_pool2d_f32_params_t* params, const float* input, float* output) {
  const kiln_pool2d_geometry_t g = KILN_POOL2D_GEOMETRY(params);
  kiln_pool2d(&g, params, input, output, l2_f32);
}
