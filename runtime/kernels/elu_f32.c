/* elu_f32: see the header. */
#include "kiln/kernels/elu_f32.h"

#include <math.h>

static float elu(float x) { return x < 0.0f ? expm1f(x) : x; }

void kiln_elu_f32(const kiln_elu_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, elu);
}
