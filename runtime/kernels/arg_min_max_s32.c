/* arg_min_max_s32: see the header. */
#include "kiln/kernels/arg_min_max_s32.h"

void kiln_arg_min_max_s32(const kiln_arg_min_max_s32_params_t* params, const int32_t* input, void* output) {
  KILN_ARG_MIN_MAX_LOOP(params, input, output, int32_t);
}
