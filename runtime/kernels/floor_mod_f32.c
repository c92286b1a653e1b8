/* floor_mod_f32: see the header. */
#include "kiln/kernels/floor_mod_f32.h"

static float floor_mod(float a, float b) {
  const float trunc_mod = fmodf(a, b);
  return (trunc_mod != 0.0f && ((b < 0.0f) != (trunc_mod < 0.0f))) ? trunc_mod + b : trunc_mod;
}

void kiln_floor_mod_f32(const kiln_floor_mod_f32_params_t* params, const float* a, const float* b, float* output) {
  KILN_BINARY_F32(params, a, b, output, floor_mod);
}
