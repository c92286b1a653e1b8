/* leaky_relu_s16: int16 LEAKY_RELU (the same template in TFLite); two requantizations, chosen by the sign of
 * the zero-point-corrected input. */
#include "kiln/kernels/leaky_relu_s16.h"

#include "kiln/fixedpoint.h"

void kiln_leaky_relu_s16(const kiln_leaky_relu_s16_params_t* params, const int16_t* input,
                        int16_t* output) {
  const int32_t count = params->count;
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int32_t x = (int32_t)input[i] - params->input_zero_point;
    const int32_t scaled =
        x >= 0 ? kiln_multiply_by_quantized_multiplier(x, params->identity_multiplier,
                                                        (int)params->identity_shift)
               : kiln_multiply_by_quantized_multiplier(x, params->alpha_multiplier,
                                                       (int)params->alpha_shift);
    output[i] = (int16_t)kiln_clamp_i32(params->output_zero_point + scaled, -32768, 32767);
  }
}
