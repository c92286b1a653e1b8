/* prelu_f32: see the header. */
#include "kiln/kernels/prelu_f32.h"

static float prelu(float x, float alpha) { return x >= 0.0f ? x : x * alpha; }

void kiln_prelu_f32(const kiln_prelu_f32_params_t* params, const float* a, const float* b, float* output) {
  KILN_BINARY_F32(params, a, b, output, prelu);
}
