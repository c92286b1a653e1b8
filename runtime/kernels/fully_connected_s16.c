/* fully_connected_s16: 16x8 FULLY_CONNECTED. Reference-quality loops;
 * kiln_s16x8_output applies TFLite's accumulator and requantization. */
#include "kiln/kernels/fully_connected_s16.h"

#include "kiln/s16x8.h"

void kiln_fully_connected_s16(const kiln_fully_connected_s16_params_t* params, const int16_t* input,
                              const int8_t* weights, const void* bias, int16_t* output) {
  const int32_t depth = params->accum_depth;
  const int32_t filter_offset = params->filter_offset;
  int32_t b, o, k;
  for (b = 0; b < params->batches; ++b) {
    const int16_t* row = input + b * depth;
    for (o = 0; o < params->output_depth; ++o) {
      const int8_t* w = weights + o * depth;
      const int32_t q = params->per_channel ? o : 0;
      int64_t sum = 0;
      for (k = 0; k < depth; ++k) sum += ((int32_t)w[k] + filter_offset) * (int32_t)row[k];
      *output++ = kiln_s16x8_output(sum, bias, o, params->accumulator, params->output_multiplier[q],
                                    params->output_shift[q], params->act_min, params->act_max);
    }
  }
}
