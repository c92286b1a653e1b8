/* div_f32: float32 DIV (IEEE division: x/0 is +-inf or NaN), then the
 * fused activation clamp. */
#include "kiln/kernels/div_f32.h"

static float div_f32_op(float a, float b) { return a / b; }

void kiln_div_f32(const kiln_div_f32_params_t* params, const float* a, const float* b,
                  float* output) {
  kiln_broadcast_binary_f32(&params->shape, a, b, output, params->activation_min,
                            params->activation_max, div_f32_op);
}
