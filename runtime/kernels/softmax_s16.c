/* softmax_s16: int16 SOFTMAX, TFLite's reference_ops::SoftmaxInt16. */
#include "kiln/kernels/softmax_s16.h"

#include "kiln/fixedpoint.h"
#include "kiln/gemmlowp_fixedpoint.h"

/* Interpolated lookup in a 513-entry table: the top 9 bits of value pick
 * the entry, the low 7 bits interpolate towards the next one. */
static int16_t kiln_softmax_s16_lut(int16_t value, const int16_t* lut) {
  const int32_t index = 256 + (value >> 7);
  const int32_t offset = value & 0x7f;
  const int32_t base = lut[index];
  const int32_t slope = (int16_t)(lut[index + 1] - lut[index]);
  const int32_t delta = (slope * offset + 64) >> 7;
  return (int16_t)(base + delta);
}

void kiln_softmax_s16(const kiln_softmax_s16_params_t* params, const int16_t* input,
                      int16_t* output) {
  const int32_t depth = params->depth;
  int32_t i, c;
  for (i = 0; i < params->outer_size; ++i) {
    const int16_t* in = input + i * depth;
    /* The output row holds the exp values (Q0.15) until the last pass. */
    int16_t* out = output + i * depth;
    int32_t max_in_row = -32768;
    int32_t sum_of_exps = 0; /* Q16.15 */
    int headroom_plus_one;
    int32_t shifted_sum;
    int16_t reciprocal;
    int right_shift;
    for (c = 0; c < depth; ++c)
      if (in[c] > max_in_row) max_in_row = in[c];
    for (c = 0; c < depth; ++c) {
      const int32_t diff = (int32_t)in[c] - max_in_row;
      const int32_t scaled = kiln_multiply_by_quantized_multiplier(
          diff, params->input_multiplier, params->input_left_shift);
      /* Recentre [-65535, 0] on [-32768, 32767] for the table. */
      const int32_t sym = kiln_clamp_i32(scaled + 32767, -32768, 32767);
      out[c] = kiln_softmax_s16_lut((int16_t)sym, params->exp_lut);
      sum_of_exps += out[c];
    }
    /* 1 / sum by the 1/(1+x) table on the sum normalised to [1, 2). */
    headroom_plus_one = kiln_gemmlowp_count_leading_zeros((uint32_t)sum_of_exps);
    shifted_sum =
        (int32_t)((((int64_t)sum_of_exps << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    reciprocal = kiln_softmax_s16_lut(
        (int16_t)kiln_clamp_i32(shifted_sum - ((1 << 15) + (1 << 16)), -32768, 32767),
        params->one_over_one_plus_x_lut);
    right_shift = 31 - headroom_plus_one;
    for (c = 0; c < depth; ++c) {
      const int64_t round = (int64_t)1 << (right_shift - 1);
      const int32_t result =
          (int32_t)(((int64_t)out[c] * (int64_t)reciprocal + round) >> right_shift);
      out[c] = (int16_t)kiln_clamp_i32(result, 0, 32767);
    }
  }
}
