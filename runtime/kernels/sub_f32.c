/* sub_f32: float32 SUB, then the fused activation clamp. */
#include "kiln/kernels/sub_f32.h"

static float sub_f32_op(float a, float b) { return a - b; }

void kiln_sub_f32(const kiln_sub_f32_params_t* params, const float* a, const float* b,
                  float* output) {
  kiln_broadcast_binary_f32(&params->shape, a, b, output, params->activation_min,
                            params->activation_max, sub_f32_op);
}
