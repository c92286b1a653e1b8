/* fully_connected_f32: float FULLY_CONNECTED. Sums in TFLite's order, then
 * adds the bias. */
#include "kiln/kernels/fully_connected_f32.h"

void kiln_fully_connected_f32(const kiln_fully_connected_f32_params_t* params, const float* input,
                              const float* weights, const float* bias, float* output) {
  const int32_t accum_depth = params->accum_depth;
  const int32_t output_depth = params->output_depth;
  int32_t b, o, k;

  for (b = 0; b < params->batches; ++b) {
    const float* row = input + b * accum_depth;
    for (o = 0; o < output_depth; ++o) {
      const float* w = weights + o * accum_depth;
      float total = 0.0f;
      float value;
      for (k = 0; k < accum_depth; ++k) total += row[k] * w[k];
      /* TFLite always adds a bias term (0 when absent). */
      value = total + (bias != NULL ? bias[o] : 0.0f);
      value = value < params->act_min ? params->act_min : value;
      value = value > params->act_max ? params->act_max : value;
      *output++ = value;
    }
  }
}
