/* div_f32: float32 DIV (IEEE division: x/0 is +-inf or NaN), then the
 * fused activation clamp. */
#include "kiln/kernels/div_f32.h"

static float div_f32_clamp(float x, float lo, float hi) {
  const float y = x < lo ? lo : x;
  return hi < y ? hi : y;
}

void kiln_div_f32(const kiln_div_f32_params_t* params, const float* a, const float* b,
                  float* output) {
  const int32_t count = params->shape.count;
  const float lo = params->activation_min;
  const float hi = params->activation_max;
  int32_t i;
  if (params->shape.flat) {
    for (i = 0; i < count; ++i) output[i] = div_f32_clamp(a[i] / b[i], lo, hi);
  } else {
    kiln_broadcast_iter_t it;
    kiln_broadcast_iter_init(&it);
    for (i = 0; i < count; ++i) {
      output[i] = div_f32_clamp(a[it.a] / b[it.b], lo, hi);
      kiln_broadcast_iter_next(&it, &params->shape);
    }
  }
}
