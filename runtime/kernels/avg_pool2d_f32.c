/* avg_pool2d_f32: float AVERAGE_POOL_2D, TFLite's reference_ops::AveragePool. */
#include "kiln/kernels/avg_pool2d_f32.h"

#include "kiln/pool2d.h"

static KILN_ALWAYS_INLINE void average_f32(const void* params, const kiln_pool2d_window_t* w, int32_t c,
                                           const void* input, void* output, int32_t index) {
  const kiln_avg_pool2d_f32_params_t* p = (const kiln_avg_pool2d_f32_params_t*)params;
  const float* in = (const float*)input;
  /* Summed in TFLite's order, the count kept as a float like TFLite. */
  float total = 0.0f;
  float count = 0.0f;
  float average;
  int32_t fy, fx;
  for (fy = w->fy_start; fy < w->fy_end; ++fy)
    for (fx = w->fx_start; fx < w->fx_end; ++fx) {
      total += in[w->base + c + fy * w->row + fx * w->depth];
      count += 1.0f;
    }
  average = count > 0.0f ? total / count : 0.0f;
  if (average < p->activation_min) average = p->activation_min;
  if (average > p->activation_max) average = p->activation_max;
  ((float*)output)[index] = average;
}

void kiln_avg_pool2d_f32(const kiln_avg_pool2d_f32_params_t* params, const float* input, float* output) {
  const kiln_pool2d_geometry_t g = KILN_POOL2D_GEOMETRY(params);
  kiln_pool2d(&g, params, input, output, average_f32);
}
