/* add_s8: int8 ADD. Each input is offset, shifted left by 20 bits, rescaled
 * onto twice the larger input scale, summed, and requantized to the output,
 * in TFLite's exact order of roundings. */
#include "kiln/kernels/add_s8.h"

#include "kiln/fixedpoint.h"

static int8_t add_s8_one(const kiln_add_s8_params_t* p, int32_t x, int32_t y) {
  const int32_t shifted1 = (p->input1_offset + x) * ((int32_t)1 << p->left_shift);
  const int32_t shifted2 = (p->input2_offset + y) * ((int32_t)1 << p->left_shift);
  /* Every shift here is <= 0, so the general multiplier routine performs
   * exactly TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp. */
  const int32_t scaled1 =
      kiln_multiply_by_quantized_multiplier(shifted1, p->input1_multiplier, (int)p->input1_shift);
  const int32_t scaled2 =
      kiln_multiply_by_quantized_multiplier(shifted2, p->input2_multiplier, (int)p->input2_shift);
  const int32_t raw = kiln_multiply_by_quantized_multiplier(scaled1 + scaled2, p->output_multiplier,
                                                            (int)p->output_shift) +
                      p->output_offset;
  return (int8_t)kiln_clamp_i32(raw, p->activation_min, p->activation_max);
}

void kiln_add_s8(const kiln_add_s8_params_t* params, const int8_t* a, const int8_t* b,
                 int8_t* output) {
  const int32_t count = params->shape.count;
  int32_t i;
  if (params->shape.flat) {
    for (i = 0; i < count; ++i) output[i] = add_s8_one(params, a[i], b[i]);
  } else {
    kiln_broadcast_iter_t it;
    kiln_broadcast_iter_init(&it);
    for (i = 0; i < count; ++i) {
      output[i] = add_s8_one(params, a[it.a], b[it.b]);
      kiln_broadcast_iter_next(&it, &params->shape);
    }
  }
}
