/* svdf_s8: integer SVDF with an int8 activation state (TFLite Micro's
 * EvalIntegerSvdfReference with T = int8_t). */
#include "kiln/kernels/svdf_s8.h"

#include "kiln/fixedpoint.h"

void kiln_svdf_s8(const kiln_svdf_s8_params_t* params, const int8_t* input,
                  const int8_t* weights_feature, const int8_t* weights_time, const int32_t* bias,
                  int8_t* state, int8_t* output, int32_t* scratch_filters,
                  int32_t* scratch_units) {
  const int32_t batches = params->batches;
  const int32_t input_size = params->input_size;
  const int32_t filters = params->num_filters;
  const int32_t units = params->num_units;
  const int32_t rank = params->rank;
  const int32_t memory = params->memory_size;
  const int32_t state_zp = params->state_zero_point;
  const int32_t state_size = batches * filters * memory;
  int32_t b, f, u, r, t, k;

  /* Age the history: every element moves one slot left. The newest column
   * (t = memory - 1) of each filter is overwritten just below. */
  for (k = 0; k + 1 < state_size; ++k) state[k] = state[k + 1];

  /* Feature matmul: the newest activation of each filter, requantized to the
   * state's scale. The zero point is added before the clamp, so the sum
   * saturates rather than wrapping. */
  for (b = 0; b < batches; ++b) {
    const int8_t* in = input + b * input_size;
    for (f = 0; f < filters; ++f) {
      const int8_t* w = weights_feature + f * input_size;
      int32_t acc = 0;
      for (k = 0; k < input_size; ++k) acc += w[k] * (in[k] - params->input_zero_point);
      acc = kiln_multiply_by_quantized_multiplier(acc, params->feature_multiplier,
                                                  (int)params->feature_shift);
      acc = kiln_clamp_i32(acc + state_zp, INT8_MIN, INT8_MAX);
      state[(b * filters + f) * memory + memory - 1] = (int8_t)acc;
    }
  }

  /* Time: each filter's dot product of its history with its time weights. */
  for (b = 0; b < batches; ++b) {
    const int8_t* history = state + b * filters * memory;
    for (f = 0; f < filters; ++f) {
      int32_t acc = 0;
      for (t = 0; t < memory; ++t) {
        acc += weights_time[f * memory + t] * (history[f * memory + t] - state_zp);
      }
      scratch_filters[b * filters + f] = acc;
    }
  }

  /* Bias, then each unit sums its `rank` filters. */
  for (b = 0; b < batches; ++b) {
    for (u = 0; u < units; ++u) {
      int32_t acc = bias ? bias[u] : 0;
      for (r = 0; r < rank; ++r) acc += scratch_filters[b * filters + u * rank + r];
      scratch_units[b * units + u] = acc;
    }
  }

  /* Requantize to the output. TFLite Micro applies no fused activation on
   * this path: the int8 range is the only clamp. */
  for (k = 0; k < batches * units; ++k) {
    int32_t x = kiln_multiply_by_quantized_multiplier(scratch_units[k], params->output_multiplier,
                                                      (int)params->output_shift);
    output[k] = (int8_t)kiln_clamp_i32(x + params->output_zero_point, INT8_MIN, INT8_MAX);
  }
}
