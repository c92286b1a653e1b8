/* add_f32: float32 ADD, then the fused activation clamp. */
#include "kiln/kernels/add_f32.h"

static float add_f32_op(float a, float b) { return a + b; }

void kiln_add_f32(const kiln_add_f32_params_t* params, const float* a, const float* b,
                  float* output) {
  kiln_broadcast_binary_f32(&params->shape, a, b, output, params->activation_min,
                            params->activation_max, add_f32_op);
}
