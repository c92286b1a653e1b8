/* log_softmax_s8: see the header; TFLite Micro's LogSoftmaxQuantized step
 * for step. */
#include "kiln/kernels/log_softmax_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/softmax_common.h"

#define KILN_LOG_SOFTMAX_OUTPUT_INTEGER_BITS 4

void kiln_log_softmax_s8(const kiln_log_softmax_s8_params_t* params, const int8_t* input, int8_t* output) {
  const kiln_log_softmax_s8_params_t p = *params;
  int32_t row, c;
  for (row = 0; row < p.outer_size; ++row) {
    const int8_t* in = input + row * p.depth;
    int8_t* out = output + row * p.depth;
    const int32_t max_in_row = kiln_row_max_s8(in, p.depth);
    const int32_t sum_of_exps = /* Q12.19 */
        kiln_softmax_sum_of_exps_s8(in, p.depth, max_in_row, p.input_multiplier, p.input_left_shift, p.diff_min);
    int32_t log_sum_of_exps, adjusted_diff_min;
    log_sum_of_exps = kiln_gemmlowp_log_x_for_x_ge_1(sum_of_exps, KILN_SOFTMAX_ACCUMULATION_INTEGER_BITS,
                                                     KILN_SOFTMAX_SCALED_DIFF_INTEGER_BITS); /* Q5.26 */
    /* The smallest Q5.26 value plus the log, back in input units: below it
     * (or below diff_min) an output is the lowest. */
    adjusted_diff_min = kiln_multiply_by_quantized_multiplier(kiln_gemmlowp_add(log_sum_of_exps, INT32_MIN),
                                                              p.reverse_scaling_divisor, p.reverse_scaling_shift);
    if (p.diff_min - 1 > adjusted_diff_min) adjusted_diff_min = p.diff_min - 1;
    for (c = 0; c < p.depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      int32_t value = -128;
      if (diff > adjusted_diff_min) {
        const int32_t diff_q5 = kiln_softmax_scaled_diff_s8(diff, p.input_multiplier, p.input_left_shift);
        value = kiln_rounding_divide_by_pot(
                    kiln_gemmlowp_sub(diff_q5, log_sum_of_exps),
                    31 - KILN_SOFTMAX_SCALED_DIFF_INTEGER_BITS - KILN_LOG_SOFTMAX_OUTPUT_INTEGER_BITS) +
                127;
        value = kiln_clamp_i32(value, -128, 127);
      }
      out[c] = (int8_t)value;
    }
  }
}
