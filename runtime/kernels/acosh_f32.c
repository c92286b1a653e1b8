/* acosh_f32: see the header. */
#include "kiln/kernels/acosh_f32.h"

#include <math.h>

void kiln_acosh_f32(const kiln_acosh_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, acoshf);
}
