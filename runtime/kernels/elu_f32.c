/* elu_f32: see the header. */
#include "kiln/kernels/elu_f32.h"

#include <math.h>

void kiln_elu_f32(const kiln_elu_f32_params_t* params, const float* input, float* output) {
  const float alpha = params->alpha;
  const float scale = params->scale;
  int32_t i;
  for (i = 0; i < params->size; ++i) {
    const float x = input[i];
    output[i] = x < 0.0f ? scale * (alpha * expm1f(x)) : scale * x;
  }
}
