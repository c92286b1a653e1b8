/* cumsum: see the header. */
#include "kiln/kernels/cumsum.h"

#include "kiln/fixedpoint.h"

void kiln_cumsum_f32(const kiln_cumsum_f32_params_t* params, const float* input, float* output) {
  KILN_CUMSUM_FLOAT(float, &params->shape, input, output);
}

/* TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0). */
static int32_t scale(int32_t x, int32_t multiplier, int32_t shift) {
  return kiln_multiply_by_quantized_multiplier(x, multiplier, (int)shift);
}

void kiln_cumsum_s8(const kiln_cumsum_s8_params_t* params, const int8_t* input, int8_t* output) {
  const kiln_cumsum_s8_params_t p = *params;
  const kiln_cumsum_shape_t* s = &p.shape;
  int32_t o, i, step;
  for (o = 0; o < s->outer; ++o)
    for (i = 0; i < s->inner; ++i) {
      /* As TFLite Micro: from the scaled input offset. Sums wrap (through
       * uint32) where TFLite's int32 overflow would. */
      uint32_t sum = (uint32_t)scale((int32_t)((uint32_t)p.input_offset << p.left_shift), p.input_multiplier,
                                     p.input_shift);
      for (step = 0; step < s->depth; ++step) {
        const int32_t at = kiln_cumsum_element(s, o, i, step);
        const int32_t y = (int32_t)((uint32_t)(p.input_offset + input[at]) << p.left_shift);
        const uint32_t scaled = (uint32_t)scale(y, p.input_multiplier, p.input_shift);
        int32_t out;
        if (s->exclusive) {
          out = (int32_t)sum;
          sum += scaled;
        } else {
          sum += scaled;
          out = (int32_t)sum;
        }
        out = scale(out, p.output_multiplier, p.output_shift) + p.output_offset;
        output[at] = (int8_t)kiln_clamp_i32(out, p.act_min, p.act_max);
      }
    }
}
