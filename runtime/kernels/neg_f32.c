/* neg_f32: see the header. */
#include "kiln/kernels/neg_f32.h"

static float negate(float x) { return -x; }

void kiln_neg_f32(const kiln_neg_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, negate);
}
