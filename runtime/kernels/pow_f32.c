/* pow_f32: see the header. */
#include "kiln/kernels/pow_f32.h"

static float power(float a, float b) { return powf(a, b); }

void kiln_pow_f32(const kiln_pow_f32_params_t* params, const float* a, const float* b, float* output) {
  KILN_BINARY_F32(params, a, b, output, power);
}
