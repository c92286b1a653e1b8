/* maximum_f32: float32 MAXIMUM with broadcasting. A NaN operand gives NaN,
 * as ONNX's Max/Min and TFLite's reference MAXIMUM do. */
#include "kiln/kernels/maximum_f32.h"

/* A NaN operand gives that NaN (a's when both are). */
static float maximum_f32_op(float a, float b) {
  if (a != a || b != b) return a != a ? a : b;
  return (a > b) ? a : b;
}

void kiln_maximum_f32(const kiln_maximum_f32_params_t* params, const float* a, const float* b,
                      float* output) {
  kiln_broadcast_binary_f32(&params->shape, a, b, output, params->activation_min,
                            params->activation_max, maximum_f32_op);
}
