/* reduce_bool: see the header. */
#include "kiln/kernels/reduce_bool.h"

void kiln_reduce_bool(const kiln_reduce_bool_params_t* params, const uint8_t* input, uint8_t* output) {
  const uint8_t all = params->op == KILN_REDUCE_ALL ? 1 : 0;
  int32_t i;
  for (i = 0; i < params->num_outputs; ++i) output[i] = all;
  if (all)
    KILN_REDUCE_WALK(params, out, k, output[out] = (uint8_t)(output[out] && input[k] != 0));
  else
    KILN_REDUCE_WALK(params, out, k, output[out] = (uint8_t)(output[out] || input[k] != 0));
}
