/* relu_s8: int8 RELU (requantizing) and RELU6 (clamp only). */
#include "kiln/kernels/relu_s8.h"

#include "kiln/fixedpoint.h"

void kiln_relu_s8(const kiln_relu_s8_params_t* params, const int8_t* input, int8_t* output) {
  const int32_t count = params->count;
  const int32_t lo = params->activation_min;
  const int32_t hi = params->activation_max;
  int32_t i;
  if (params->requantize) {
    for (i = 0; i < count; ++i) {
      const int32_t v = params->output_zero_point +
                        kiln_multiply_by_quantized_multiplier(
                            (int32_t)input[i] - params->input_zero_point, params->multiplier,
                            (int)params->shift);
      output[i] = (int8_t)kiln_clamp_i32(v, lo, hi);
    }
  } else {
    for (i = 0; i < count; ++i) output[i] = (int8_t)kiln_clamp_i32(input[i], lo, hi);
  }
}
