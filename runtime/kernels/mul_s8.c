/* mul_s8: int8 MUL. The product of the zero-point-corrected inputs (at most
 * 255 * 255, so it fits easily) is requantized once to the output scale. */
#include "kiln/kernels/mul_s8.h"

#include "kiln/fixedpoint.h"

static int8_t mul_s8_one(const kiln_mul_s8_params_t* p, int32_t x, int32_t y) {
  const int32_t product = (p->input1_offset + x) * (p->input2_offset + y);
  const int32_t raw =
      p->output_offset +
      kiln_multiply_by_quantized_multiplier(product, p->output_multiplier, (int)p->output_shift);
  return (int8_t)kiln_clamp_i32(raw, p->activation_min, p->activation_max);
}

void kiln_mul_s8(const kiln_mul_s8_params_t* params, const int8_t* a, const int8_t* b,
                 int8_t* output) {
  const int32_t count = params->shape.count;
  int32_t i;
  if (params->shape.flat) {
    for (i = 0; i < count; ++i) output[i] = mul_s8_one(params, a[i], b[i]);
  } else {
    kiln_broadcast_iter_t it;
    kiln_broadcast_iter_init(&it);
    for (i = 0; i < count; ++i) {
      output[i] = mul_s8_one(params, a[it.a], b[it.b]);
      kiln_broadcast_iter_next(&it, &params->shape);
    }
  }
}
