/* maximum_f32: float32 MAXIMUM with broadcasting. A NaN operand gives NaN,
 * as ONNX's Max/Min and TFLite's reference MAXIMUM do. */
#include "kiln/kernels/maximum_f32.h"

static float maximum_f32_pick(float a, float b, float lo, float hi) {
  float y;
  if (a != a || b != b) return a != a ? a : b;
  y = (a > b) ? a : b;
  y = y < lo ? lo : y;
  return hi < y ? hi : y;
}

void kiln_maximum_f32(const kiln_maximum_f32_params_t* params, const float* a, const float* b,
                  float* output) {
  const int32_t count = params->shape.count;
  const float lo = params->activation_min;
  const float hi = params->activation_max;
  int32_t i;
  if (params->shape.flat) {
    for (i = 0; i < count; ++i) output[i] = maximum_f32_pick(a[i], b[i], lo, hi);
  } else {
    kiln_broadcast_iter_t it;
    kiln_broadcast_iter_init(&it);
    for (i = 0; i < count; ++i) {
      output[i] = maximum_f32_pick(a[it.a], b[it.b], lo, hi);
      kiln_broadcast_iter_next(&it, &params->shape);
    }
  }
}
