/* fully_connected_s8: int8 FULLY_CONNECTED, bit-exact with TFLite's
 * reference kernels (per-tensor and per-channel weights). */
#include "kiln/kernels/fully_connected_s8.h"

#include "kiln/fixedpoint.h"

void kiln_fully_connected_s8(const kiln_fully_connected_s8_params_t* params, const int8_t* input,
                             const int8_t* weights, const int32_t* bias, int8_t* output) {
  const int32_t accum_depth = params->accum_depth;
  const int32_t output_depth = params->output_depth;
  const int32_t input_offset = params->input_offset;
  const int32_t filter_offset = params->filter_offset;
  int32_t b, o, k;

  for (b = 0; b < params->batches; ++b) {
    const int8_t* row = input + b * accum_depth;
    for (o = 0; o < output_depth; ++o) {
      const int8_t* w = weights + o * accum_depth;
      int32_t acc = 0;
      for (k = 0; k < accum_depth; ++k) {
        acc += ((int32_t)w[k] + filter_offset) * ((int32_t)row[k] + input_offset);
      }
      if (bias != NULL) acc += bias[o];
      if (params->output_multipliers != NULL) {
        acc = kiln_requantize_acc(acc, params->output_multipliers[o],
                                  (int)params->output_shifts[o], params->round_half_even);
      } else {
        acc = kiln_requantize_acc(acc, params->output_multiplier, (int)params->output_shift,
                                  params->round_half_even);
      }
      acc += params->output_offset;
      *output++ = (int8_t)kiln_clamp_i32(acc, params->act_min, params->act_max);
    }
  }
}
