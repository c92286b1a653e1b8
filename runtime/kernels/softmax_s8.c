/* softmax_s8: quantized SOFTMAX (int8 -> int8 and int8 -> int16), following
 * TFLite's reference_ops::Softmax<int8_t, OutputT> step for step. */
#include "kiln/kernels/softmax_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/softmax_common.h"

/* exp(beta * scale * diff) with 0 integer bits, for diff >= diff_min. */
static int32_t kiln_softmax_s8_exp(const kiln_softmax_s8_params_t* params, int32_t diff) {
  return kiln_gemmlowp_exp_on_negative_values(
      kiln_softmax_scaled_diff_s8(diff, params->input_multiplier, params->input_left_shift),
      KILN_SOFTMAX_SCALED_DIFF_INTEGER_BITS);
}

/* One row; writes int8 (output_bits 8) or int16 (16) outputs. */
static void kiln_softmax_s8_row(const kiln_softmax_s8_params_t* params, const int8_t* in,
                                int8_t* out8, int16_t* out16, int output_bits) {
  const int32_t depth = params->depth;
  const int32_t out_min = output_bits == 8 ? -128 : -32768;
  const int32_t out_max = output_bits == 8 ? 127 : 32767;
  const int32_t max_in_row = kiln_row_max_s8(in, depth);
  const int32_t sum_of_exps = /* Q12.19 */
      kiln_softmax_sum_of_exps_s8(in, depth, max_in_row, params->input_multiplier, params->input_left_shift,
                                  params->diff_min);
  int32_t reciprocal; /* Q0.31, scaled by 2^-num_bits_over_unit */
  int num_bits_over_unit;
  int exponent;
  int32_t c;

  reciprocal = kiln_gemmlowp_get_reciprocal(sum_of_exps, KILN_SOFTMAX_ACCUMULATION_INTEGER_BITS,
                                            &num_bits_over_unit);
  exponent = num_bits_over_unit + 31 - output_bits;
  /* TFLite aborts outside [0, 31] (only reachable when the sum overflows
   * Q12.19, i.e. more than 4095 maximal elements); stay defined here. */
  if (exponent < 0) exponent = 0;
  if (exponent > 31) exponent = 31;

  for (c = 0; c < depth; ++c) {
    const int32_t diff = (int32_t)in[c] - max_in_row;
    int32_t value = out_min;
    if (diff >= params->diff_min) {
      const int32_t exp_q0 = kiln_softmax_s8_exp(params, diff);
      const int32_t unsat =
          kiln_rounding_divide_by_pot(kiln_gemmlowp_mul(reciprocal, exp_q0), exponent);
      value = kiln_clamp_i32(unsat + out_min, out_min, out_max);
    }
    if (output_bits == 8)
      out8[c] = (int8_t)value;
    else
      out16[c] = (int16_t)value;
  }
}

void kiln_softmax_s8(const kiln_softmax_s8_params_t* params, const int8_t* input,
                     int8_t* output) {
  int32_t i;
  for (i = 0; i < params->outer_size; ++i) {
    const int32_t offset = i * params->depth;
    kiln_softmax_s8_row(params, input + offset, output + offset, (int16_t*)0, 8);
  }
}

void kiln_softmax_s8_s16(const kiln_softmax_s8_params_t* params, const int8_t* input,
                         int16_t* output) {
  int32_t i;
  for (i = 0; i < params->outer_size; ++i) {
    const int32_t offset = i * params->depth;
    kiln_softmax_s8_row(params, input + offset, (int8_t*)0, output + offset, 16);
  }
}
