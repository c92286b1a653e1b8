/* avg_pool2d_s16: int16 AVERAGE_POOL_2D, TFLite's reference_integer_ops::AveragePool for int16. */
#include "kiln/kernels/avg_pool2d_s16.h"

#include "kiln/fixedpoint.h"
#include "kiln/pool2d.h"

static KILN_ALWAYS_INLINE void average_s16(const void* params, const kiln_pool2d_window_t* w, int32_t c,
                                          const void* input, void* output, int32_t index) {
  const kiln_avg_pool2d_s16_params_t* p = (const kiln_avg_pool2d_s16_params_t*)params;
  const int16_t* in = (const int16_t*)input;
  int32_t acc = 0;
  int32_t count = 0;
  int32_t fy, fx;
  for (fy = w->fy_start; fy < w->fy_end; ++fy)
    for (fx = w->fx_start; fx < w->fx_end; ++fx, ++count)
      acc += in[w->base + c + fy * w->row + fx * w->depth];
  /* The compiler checked that every window overlaps the input. */
  if (count > 0) acc = kiln_pool2d_rounded_mean(acc, count);
  ((int16_t*)output)[index] = (int16_t)kiln_clamp_i32(acc, p->activation_min, p->activation_max);
}

void kiln_avg_pool2d_s16(const kiln_avg_pool2d_s16_params_t* params, const int16_t* input, int16_t* output) {
  const kiln_pool2d_geometry_t g = KILN_POOL2D_GEOMETRY(params);
  kiln_pool2d(&g, params, input, output, average_s16);
}
