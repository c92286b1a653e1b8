/* add_n_s8: see the header. */
#include "kiln/kernels/add_n_s8.h"

#include "kiln/fixedpoint.h"

static int32_t kiln_add_n_rescaled(const kiln_add_n_s8_params_t* p, int32_t offset_value) {
  return kiln_multiply_by_quantized_multiplier(offset_value * (1 << p->left_shift), p->input_multiplier,
                                               p->input_shift);
}

void kiln_add_n_s8(const kiln_add_n_s8_params_t* params, const int8_t* const* inputs, int32_t num_inputs,
                   int8_t* output) {
  const kiln_add_n_s8_params_t p = *params;
  int32_t i, j;
  for (i = 0; i < p.count; ++i) {
    /* Summed as TFLite Micro sums, wrapping as its int32 would. */
    uint32_t sum = (uint32_t)kiln_add_n_rescaled(&p, p.input_offset);
    int32_t v;
    for (j = 0; j < num_inputs; ++j) sum += (uint32_t)kiln_add_n_rescaled(&p, p.input_offset + inputs[j][i]);
    v = kiln_multiply_by_quantized_multiplier((int32_t)sum, p.output_multiplier, p.output_shift) + p.output_offset;
    output[i] = (int8_t)kiln_clamp_i32(v, p.act_min, p.act_max);
  }
}
