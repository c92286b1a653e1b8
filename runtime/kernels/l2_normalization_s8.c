/* l2_normalization_s8: see the header. */
#include "kiln/kernels/l2_normalization_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/gemmlowp_fixedpoint.h"

void kiln_l2_normalization_s8(const kiln_l2_normalization_s8_params_t* params, const int8_t* input,
                              int8_t* output) {
  /* The output is in units of 1/128: 2^7 on top of the inverse norm. */
  enum { kOutputScaleBits = 7 };
  const int32_t depth = params->depth, zero_point = params->input_zero_point;
  int32_t r, c;
  for (r = 0; r < params->rows; ++r, input += depth, output += depth) {
    /* (255)^2 per element: no overflow below 2^15 elements. */
    int32_t squares = 0, multiplier;
    int shift;
    for (c = 0; c < depth; ++c) {
      const int32_t x = input[c] - zero_point;
      squares += x * x;
    }
    kiln_gemmlowp_inv_sqrt_multiplier(squares, &multiplier, &shift);
    for (c = 0; c < depth; ++c) {
      const int32_t x = input[c] - zero_point;
      output[c] = (int8_t)kiln_clamp_i32(
          kiln_multiply_by_quantized_multiplier(x, multiplier, shift + kOutputScaleBits), -128, 127);
    }
  }
}
