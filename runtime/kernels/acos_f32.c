/* acos_f32: see the header. */
#include "kiln/kernels/acos_f32.h"

#include <math.h>

void kiln_acos_f32(const kiln_acos_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, acosf);
}
