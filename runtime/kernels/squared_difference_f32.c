/* squared_difference_f32: see the header. */
#include "kiln/kernels/squared_difference_f32.h"

static float squared_difference(float a, float b) {
  const float d = a - b;
  return d * d;
}

void kiln_squared_difference_f32(const kiln_squared_difference_f32_params_t* params, const float* a, const float* b, float* output) {
  KILN_BINARY_F32(params, a, b, output, squared_difference);
}
