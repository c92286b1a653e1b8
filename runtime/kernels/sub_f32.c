/* sub_f32: float32 SUB, then the fused activation clamp. */
#include "kiln/kernels/sub_f32.h"

/* max-then-min in the order of TFLite's ActivationFunctionWithMinMax, so a
 * NaN passes through unchanged as it does there. */
static float sub_f32_clamp(float x, float lo, float hi) {
  const float y = x < lo ? lo : x;
  return hi < y ? hi : y;
}

void kiln_sub_f32(const kiln_sub_f32_params_t* params, const float* a, const float* b,
                  float* output) {
  const int32_t count = params->shape.count;
  const float lo = params->activation_min;
  const float hi = params->activation_max;
  int32_t i;
  if (params->shape.flat) {
    for (i = 0; i < count; ++i) output[i] = sub_f32_clamp(a[i] - b[i], lo, hi);
  } else {
    kiln_broadcast_iter_t it;
    kiln_broadcast_iter_init(&it);
    for (i = 0; i < count; ++i) {
      output[i] = sub_f32_clamp(a[it.a] - b[it.b], lo, hi);
      kiln_broadcast_iter_next(&it, &params->shape);
    }
  }
}
