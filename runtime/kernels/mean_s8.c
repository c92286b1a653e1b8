/* mean_s8: int8 MEAN, TFLite Micro's three integer paths (reference_ops::Mean,
 * reference_ops::QuantizedMeanOrSum, reference_integer_ops::Mean), the one
 * chosen at compile time. */
#include "kiln/kernels/mean_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/reduce.h"

void kiln_mean_s8(const kiln_mean_s8_params_t* params, const int8_t* input, int8_t* output,
                  int32_t* scratch) {
  int32_t i;
  for (i = 0; i < params->num_outputs; ++i) scratch[i] = 0;
  /* Wrapping add, as TFLite's AddTensorValuesWithExpectedOverflow. */
  KILN_REDUCE_WALK(params, out, k,
                   scratch[out] = (int32_t)((uint32_t)scratch[out] + (uint32_t)(int32_t)input[k]));

  for (i = 0; i < params->num_outputs; ++i) {
    const int32_t count = params->num_elements_in_axis;
    /* The sum of (x - input_zero_point), in TFLite's 32-bit arithmetic. */
    const int32_t shifted_sum =
        (int32_t)((int64_t)scratch[i] - (int64_t)params->input_zero_point * (int64_t)count);
    int32_t value;
    if (params->method == KILN_MEAN_S8_TRUNCATE) {
      /* The mean of int8 values is an int8 value: no clamp needed. */
      output[i] = (int8_t)(scratch[i] / count);
      continue;
    }
    value = kiln_multiply_by_quantized_multiplier(shifted_sum, params->output_multiplier,
                                                  params->output_shift);
    if (params->method == KILN_MEAN_S8_ROUNDED_SPATIAL) {
      /* In 64 bits: TFLite's int32 +- count / 2 cannot overflow here. */
      const int64_t v = value;
      value = (int32_t)(v > 0 ? (v + count / 2) / count : (v - count / 2) / count);
    }
    output[i] = (int8_t)kiln_clamp_i32(value + params->output_zero_point, -128, 127);
  }
}
