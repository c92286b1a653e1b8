/* rsqrt_s8: see the header. */
#include "kiln/kernels/rsqrt_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/gemmlowp_fixedpoint.h"
#include "kiln/runtime.h"

/* TFLite Micro's shift that keeps 1 / sqrt(value) an integer. */
#define KILN_RSQRT_S8_SHIFT 20

int32_t kiln_rsqrt_s8(const kiln_rsqrt_s8_params_t* params, const int8_t* input, int8_t* output) {
  int32_t i;
  for (i = 0; i < params->count; ++i) {
    const int32_t value = (int32_t)input[i] - params->input_zero_point;
    int32_t inv_sqrt, scaled, result;
    int left_shift;
    if (value < 0) return KILN_ERROR_OUT_OF_DOMAIN;
    if (value == 0) { /* the largest value stands for 1 / sqrt(0) */
      output[i] = 127;
      continue;
    }
    kiln_gemmlowp_inv_sqrt_multiplier(value, &inv_sqrt, &left_shift);
    scaled = kiln_multiply_by_quantized_multiplier(1, inv_sqrt, left_shift + KILN_RSQRT_S8_SHIFT);
    result = kiln_multiply_by_quantized_multiplier(scaled, params->multiplier, (int)params->shift - KILN_RSQRT_S8_SHIFT) +
             params->output_zero_point;
    output[i] = (int8_t)kiln_clamp_i32(result, -128, 127);
  }
  return KILN_OK;
}
