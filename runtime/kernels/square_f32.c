/* square_f32: see the header. */
#include "kiln/kernels/square_f32.h"

static float square(float x) { return x * x; }

void kiln_square_f32(const kiln_square_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, square);
}
