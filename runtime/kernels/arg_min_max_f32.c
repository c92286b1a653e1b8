/* arg_min_max_f32: see the header. */
#include "kiln/kernels/arg_min_max_f32.h"

void kiln_arg_min_max_f32(const kiln_arg_min_max_f32_params_t* params, const float* input, void* output) {
  KILN_ARG_MIN_MAX_LOOP(params, input, output, float);
}
