/* arg_min_max_s16: see the header. */
#include "kiln/kernels/arg_min_max_s16.h"

void kiln_arg_min_max_s16(const kiln_arg_min_max_s16_params_t* params, const int16_t* input, void* output) {
  KILN_ARG_MIN_MAX_LOOP(params, input, output, int16_t);
}
