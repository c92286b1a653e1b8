/* relu_f32: float32 RELU and RELU6, with TFLite's comparisons (a NaN input
 * yields NaN). */
#include "kiln/kernels/relu_f32.h"

void kiln_relu_f32(const kiln_relu_f32_params_t* params, const float* input, float* output) {
  const int32_t count = params->count;
  int32_t i;
  if (params->relu6) {
    for (i = 0; i < count; ++i) {
      const float v = input[i];
      output[i] = v > 6.0f ? 6.0f : (v < 0.0f ? 0.0f : v);
    }
  } else {
    for (i = 0; i < count; ++i) {
      const float v = input[i];
      output[i] = v < 0.0f ? 0.0f : v;
    }
  }
}
