/* div_s8: see the header. */
#include "kiln/kernels/div_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/gemmlowp_fixedpoint.h"
#include "kiln/runtime.h"

/* TFLite's CountLeadingSignBits for |x| < 2^30. */
static int kiln_div_s8_sign_bits(int32_t x) {
  return x >= 0 ? kiln_gemmlowp_count_leading_zeros((uint32_t)x) - 1
                : kiln_gemmlowp_count_leading_zeros(2u * (uint32_t)(-x) - 1u);
}

/* One quotient, before the clamp; *ok cleared for a zero divisor. */
static int32_t kiln_div_s8_one(const kiln_div_s8_params_t* p, int32_t x, int32_t y, int* ok) {
  int32_t num = p->input1_offset + x, den = p->input2_offset + y;
  int recip_shift, headroom, total_shift;
  int32_t inverse, unscaled;
  if (den == 0) {
    *ok = 0;
    return 0;
  }
  if (den < 0) { /* the reciprocal must be a positive multiplier */
    num = -num;
    den = -den;
  }
  inverse = kiln_gemmlowp_get_reciprocal(den, 31, &recip_shift);
  headroom = kiln_div_s8_sign_bits(num);
  unscaled = kiln_sat_rounding_doubling_high_mul((int32_t)((uint32_t)num << headroom), inverse);
  total_shift = p->output_shift - recip_shift - headroom; /* <= 0 */
  /* A right shift past 31 leaves less than a quarter: TFLite's shift is
   * undefined there, the rounded value is 0. */
  if (total_shift < -31) return p->output_offset;
  return p->output_offset +
         kiln_rounding_divide_by_pot(kiln_sat_rounding_doubling_high_mul(unscaled, p->output_multiplier), -total_shift);
}

int32_t kiln_div_s8(const kiln_div_s8_params_t* params, const int8_t* a, const int8_t* b, int8_t* output) {
  const int32_t count = params->shape.count;
  int ok = 1;
  int32_t i;
  kiln_broadcast_iter_t it;
  kiln_broadcast_iter_init(&it);
  for (i = 0; i < count && ok; ++i) {
    const int32_t ia = params->shape.flat ? i : it.a, ib = params->shape.flat ? i : it.b;
    const int32_t v = kiln_div_s8_one(params, a[ia], b[ib], &ok);
    output[i] = (int8_t)kiln_clamp_i32(v, params->activation_min, params->activation_max);
    if (!params->shape.flat) kiln_broadcast_iter_next(&it, &params->shape);
  }
  return ok ? KILN_OK : KILN_ERROR_DIVISION_BY_ZERO;
}
