/* arg_min_max_s8: see the header. */
#include "kiln/kernels/arg_min_max_s8.h"

void kiln_arg_min_max_s8(const kiln_arg_min_max_s8_params_t* params, const int8_t* input, void* output) {
  KILN_ARG_MIN_MAX_LOOP(params, input, output, int8_t);
}
