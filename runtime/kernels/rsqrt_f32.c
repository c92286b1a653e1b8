/* rsqrt_f32: see the header. */
#include "kiln/kernels/rsqrt_f32.h"

#include <math.h>

static float rsqrt(float x) { return 1.0f / sqrtf(x); }

void kiln_rsqrt_f32(const kiln_rsqrt_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, rsqrt);
}
