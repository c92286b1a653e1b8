/* hard_swish_f32: float32 HARD_SWISH, in TFLite's order of operations:
 * (x * relu6(x + 3)) / 6. */
#include "kiln/kernels/hard_swish_f32.h"

void kiln_hard_swish_f32(const kiln_hard_swish_f32_params_t* params, const float* input,
                         float* output) {
  const int32_t count = params->count;
  int32_t i;
  for (i = 0; i < count; ++i) {
    const float x = input[i];
    const float shifted = x + 3.0f;
    /* std::max(0, s) then std::min(6, .), with their NaN behaviour. */
    const float lower = 0.0f < shifted ? shifted : 0.0f;
    const float relu6 = lower < 6.0f ? lower : 6.0f;
    output[i] = x * relu6 / 6.0f;
  }
}
