/* sinh_f32: see the header. */
#include "kiln/kernels/sinh_f32.h"

#include <math.h>

void kiln_sinh_f32(const kiln_sinh_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, sinhf);
}
