/* tanh_f32: float TANH, TFLite's reference_ops::Tanh. */
#include "kiln/kernels/tanh_f32.h"

#include <math.h>

void kiln_tanh_f32(const kiln_tanh_f32_params_t* params, const float* input, float* output) {
  int32_t i;
  for (i = 0; i < params->size; ++i) output[i] = tanhf(input[i]);
}
