/* trunc_mod_f32: see the header. */
#include "kiln/kernels/trunc_mod_f32.h"

void kiln_trunc_mod_f32(const kiln_trunc_mod_f32_params_t* params, const float* a, const float* b, float* output) {
  KILN_BINARY_F32(params, a, b, output, fmodf);
}
