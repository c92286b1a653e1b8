/* logical_not_bool: see the header. */
#include "kiln/kernels/logical_not_bool.h"

void kiln_logical_not_bool(const kiln_logical_not_bool_params_t* params, const uint8_t* input, uint8_t* output) {
  int32_t i;
  for (i = 0; i < params->size; ++i) output[i] = (uint8_t)(input[i] == 0);
}
