/* add_s16: int16 ADD, the int8 algorithm of add_s8 with a left shift of 15:
 * (65535 << 15) still fits the int32 accumulator. */
#include "kiln/kernels/add_s16.h"

#include "kiln/fixedpoint.h"

static int16_t add_s16_one(const kiln_add_s16_params_t* p, int32_t x, int32_t y) {
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
  return (int16_t)kiln_clamp_i32(raw, p->activation_min, p->activation_max);
}

void kiln_add_s16(const kiln_add_s16_params_t* params, const int16_t* a,
                  const int16_t* b, int16_t* output) {
  const int32_t count = params->shape.count;
  int32_t i;
  if (params->shape.flat) {
    for (i = 0; i < count; ++i) output[i] = add_s16_one(params, a[i], b[i]);
  } else {
    kiln_broadcast_iter_t it;
    kiln_broadcast_iter_init(&it);
    for (i = 0; i < count; ++i) {
      output[i] = add_s16_one(params, a[it.a], b[it.b]);
      kiln_broadcast_iter_next(&it, &params->shape);
    }
  }
}
