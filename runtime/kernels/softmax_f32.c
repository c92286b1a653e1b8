/* softmax_f32: float SOFTMAX, in TFLite's reference order of operations. */
#include "kiln/kernels/softmax_f32.h"

#include "kiln/softmax_common.h"

#include <math.h>

void kiln_softmax_f32(const kiln_softmax_f32_params_t* params, const float* input,
                      float* output) {
  const int32_t depth = params->depth;
  int32_t i;
  int32_t c;
  for (i = 0; i < params->outer_size; ++i) {
    const float* in = input + i * depth;
    float* out = output + i * depth;
    const float max = kiln_row_max_f32(in, depth);
    float sum = 0.0f;
    for (c = 0; c < depth; ++c) {
      const float e = expf((in[c] - max) * params->beta);
      out[c] = e;
      sum += e;
    }
    for (c = 0; c < depth; ++c) out[c] = out[c] / sum;
  }
}
