/* sign_f32: see the header. */
#include "kiln/kernels/sign_f32.h"

static float sign(float x) { return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x; }

void kiln_sign_f32(const kiln_sign_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, sign);
}
