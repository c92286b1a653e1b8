/* leaky_relu_f32: float32 LEAKY_RELU. */
#include "kiln/kernels/leaky_relu_f32.h"

void kiln_leaky_relu_f32(const kiln_leaky_relu_f32_params_t* params, const float* input,
                         float* output) {
  const int32_t count = params->count;
  const float alpha = params->alpha;
  int32_t i;
  for (i = 0; i < count; ++i) {
    const float v = input[i];
    output[i] = v > 0.0f ? v : v * alpha;
  }
}
