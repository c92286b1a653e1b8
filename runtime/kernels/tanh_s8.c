/* tanh_s8: quantized TANH, TFLite's reference_integer_ops::Tanh. */
#include "kiln/kernels/tanh_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/gemmlowp_fixedpoint.h"

void kiln_tanh_s8(const kiln_tanh_s8_params_t* params, const int8_t* input, int8_t* output) {
  int32_t i;
  for (i = 0; i < params->size; ++i) {
    const int32_t x = (int32_t)input[i] - params->input_zero_point;
    if (x <= -params->input_range_radius) {
      output[i] = -128;
    } else if (x >= params->input_range_radius) {
      output[i] = 127;
    } else {
      const int32_t x_q4 = kiln_multiply_by_quantized_multiplier(x, params->input_multiplier,
                                                                 params->input_left_shift);
      const int32_t y_q0 = kiln_gemmlowp_tanh(x_q4, 4);
      /* Q0.31 -> units of 1/128 (zero point 0). */
      const int32_t y = kiln_rounding_divide_by_pot(y_q0, 24);
      output[i] = (int8_t)kiln_clamp_i32(y, -128, 127);
    }
  }
}
