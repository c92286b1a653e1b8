/* floor_div_f32: see the header. */
#include "kiln/kernels/floor_div_f32.h"

/* In double: a float quotient could round up onto an integer. */
static float floor_div(float a, float b) { return (float)floor((double)a / (double)b); }

void kiln_floor_div_f32(const kiln_floor_div_f32_params_t* params, const float* a, const float* b, float* output) {
  KILN_BINARY_F32(params, a, b, output, floor_div);
}
