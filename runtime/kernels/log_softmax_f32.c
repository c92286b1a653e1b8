/* log_softmax_f32: float LOG_SOFTMAX, x - max - log(sum(exp(x - max))),
 * as TFLite's reference LogSoftmax computes it (beta scales x - max). */
#include "kiln/kernels/log_softmax_f32.h"

#include "kiln/softmax_common.h"

#include <math.h>

void kiln_log_softmax_f32(const kiln_log_softmax_f32_params_t* params, const float* input,
                          float* output) {
  const int32_t depth = params->depth;
  int32_t i;
  int32_t c;
  for (i = 0; i < params->outer_size; ++i) {
    const float* in = input + i * depth;
    float* out = output + i * depth;
    const float max = kiln_row_max_f32(in, depth);
    float sum = 0.0f;
    float log_sum;
    for (c = 0; c < depth; ++c) sum += expf((in[c] - max) * params->beta);
    log_sum = logf(sum);
    for (c = 0; c < depth; ++c) out[c] = (in[c] - max) * params->beta - log_sum;
  }
}
