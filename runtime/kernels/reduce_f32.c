/* reduce_f32: see the header. */
#include "kiln/kernels/reduce_f32.h"

#include <float.h>

void kiln_reduce_f32(const kiln_reduce_f32_params_t* params, const float* input, float* output) {
  const float init = params->op == KILN_REDUCE_SUM    ? 0.0f
                     : params->op == KILN_REDUCE_PROD ? 1.0f
                     : params->op == KILN_REDUCE_MAX  ? -FLT_MAX
                                                      : FLT_MAX;
  int32_t i;
  for (i = 0; i < params->num_outputs; ++i) output[i] = init;
  if (params->op == KILN_REDUCE_SUM)
    KILN_REDUCE_WALK(params, out, k, output[out] += input[k]);
  else if (params->op == KILN_REDUCE_PROD)
    KILN_REDUCE_WALK(params, out, k, output[out] *= input[k]);
  else if (params->op == KILN_REDUCE_MAX)
    KILN_REDUCE_WALK(params, out, k, output[out] = input[k] > output[out] ? input[k] : output[out]);
  else
    KILN_REDUCE_WALK(params, out, k, output[out] = input[k] < output[out] ? input[k] : output[out]);
}
