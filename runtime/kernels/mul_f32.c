/* mul_f32: float32 MUL, then the fused activation clamp. */
#include "kiln/kernels/mul_f32.h"

static float mul_f32_op(float a, float b) { return a * b; }

void kiln_mul_f32(const kiln_mul_f32_params_t* params, const float* a, const float* b,
                  float* output) {
  kiln_broadcast_binary_f32(&params->shape, a, b, output, params->activation_min,
                            params->activation_max, mul_f32_op);
}
