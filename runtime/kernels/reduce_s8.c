/* reduce_s8: see the header. */
#include "kiln/kernels/reduce_s8.h"

void kiln_reduce_s8(const kiln_reduce_s8_params_t* params, const int8_t* input, int8_t* output) {
  int32_t i;
  for (i = 0; i < params->num_outputs; ++i) output[i] = (int8_t)(params->op == KILN_REDUCE_MAX ? -128 : 127);
  if (params->op == KILN_REDUCE_MAX)
    KILN_REDUCE_WALK(params, out, k, output[out] = input[k] > output[out] ? input[k] : output[out]);
  else
    KILN_REDUCE_WALK(params, out, k, output[out] = input[k] < output[out] ? input[k] : output[out]);
}
