/* log_softmax_s8: see the header; TFLite Micro's LogSoftmaxQuantized step
 * for step. */
#include "kiln/kernels/log_softmax_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/gemmlowp_fixedpoint.h"

#define KILN_LOG_SOFTMAX_INPUT_INTEGER_BITS 5
#define KILN_LOG_SOFTMAX_ACCUMULATION_INTEGER_BITS 12
#define KILN_LOG_SOFTMAX_OUTPUT_INTEGER_BITS 4

void kiln_log_softmax_s8(const kiln_log_softmax_s8_params_t* params, const int8_t* input, int8_t* output) {
  const kiln_log_softmax_s8_params_t p = *params;
  int32_t row, c;
  for (row = 0; row < p.outer_size; ++row) {
    const int8_t* in = input + row * p.depth;
    int8_t* out = output + row * p.depth;
    int32_t max_in_row = -128, sum_of_exps = 0; /* Q12.19 */
    int32_t log_sum_of_exps, adjusted_diff_min;
    for (c = 0; c < p.depth; ++c)
      if (in[c] > max_in_row) max_in_row = in[c];
    for (c = 0; c < p.depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t diff_q5 = kiln_multiply_by_quantized_multiplier(diff, p.input_multiplier, p.input_left_shift);
        sum_of_exps = kiln_gemmlowp_add(
            sum_of_exps, kiln_gemmlowp_mul_by_pot(
                             kiln_gemmlowp_exp_on_negative_values(diff_q5, KILN_LOG_SOFTMAX_INPUT_INTEGER_BITS),
                             -KILN_LOG_SOFTMAX_ACCUMULATION_INTEGER_BITS));
      }
    }
    log_sum_of_exps = kiln_gemmlowp_log_x_for_x_ge_1(sum_of_exps, KILN_LOG_SOFTMAX_ACCUMULATION_INTEGER_BITS,
                                                     KILN_LOG_SOFTMAX_INPUT_INTEGER_BITS); /* Q5.26 */
    /* The smallest Q5.26 value plus the log, back in input units: below it
     * (or below diff_min) an output is the lowest. */
    adjusted_diff_min = kiln_multiply_by_quantized_multiplier(kiln_gemmlowp_add(log_sum_of_exps, INT32_MIN),
                                                              p.reverse_scaling_divisor, p.reverse_scaling_shift);
    if (p.diff_min - 1 > adjusted_diff_min) adjusted_diff_min = p.diff_min - 1;
    for (c = 0; c < p.depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      int32_t value = -128;
      if (diff > adjusted_diff_min) {
        const int32_t diff_q5 = kiln_multiply_by_quantized_multiplier(diff, p.input_multiplier, p.input_left_shift);
        value = kiln_rounding_divide_by_pot(
                    kiln_gemmlowp_sub(diff_q5, log_sum_of_exps),
                    31 - KILN_LOG_SOFTMAX_INPUT_INTEGER_BITS - KILN_LOG_SOFTMAX_OUTPUT_INTEGER_BITS) +
                127;
        value = kiln_clamp_i32(value, -128, 127);
      }
      out[c] = (int8_t)value;
    }
  }
}
