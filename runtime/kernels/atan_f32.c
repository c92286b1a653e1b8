/* atan_f32: see the header. */
#include "kiln/kernels/atan_f32.h"

#include <math.h>

void kiln_atan_f32(const kiln_atan_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, atanf);
}
