/* l2_normalization_f32: see the header. */
#include "kiln/kernels/l2_normalization_f32.h"

#include <math.h>

void kiln_l2_normalization_f32(const kiln_l2_normalization_f32_params_t* params, const float* input,
                               float* output) {
  const int32_t depth = params->depth;
  int32_t r, c;
  for (r = 0; r < params->rows; ++r, input += depth, output += depth) {
    float squares = 0.0f, norm;
    for (c = 0; c < depth; ++c) squares += input[c] * input[c];
    norm = sqrtf(squares);
    if (norm < 1e-6f) norm = 1e-6f;
    for (c = 0; c < depth; ++c) output[c] = input[c] / norm;
  }
}
