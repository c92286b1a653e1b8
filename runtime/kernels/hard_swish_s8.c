/* hard_swish_s8: int8 HARD_SWISH in TFLite's 16-bit fixed-point steps.
 * Every intermediate is an int16 in TFLite, including the wrap-around of
 * its int16 conversions, so the helpers below reproduce 16-bit semantics
 * explicitly rather than relying on 32-bit kiln_ fixed-point helpers. */
#include "kiln/kernels/hard_swish_s8.h"

/* Two's-complement truncation of an int32 to int16 (what TFLite's implicit
 * int -> int16_t conversions do on every target it runs on). */
static int16_t hs_wrap16(int32_t x) {
  const uint32_t u = (uint32_t)x & 0xFFFFu;
  return (int16_t)(u >= 0x8000u ? (int32_t)u - 65536 : (int32_t)u);
}

static int16_t hs_saturate16(int64_t x) {
  if (x > 32767) return 32767;
  if (x < -32768) return -32768;
  return (int16_t)x;
}

/* value * 2^amount, saturated to int16. 0 <= amount <= 30. */
static int16_t hs_saturating_left_shift(int16_t value, int amount) {
  return hs_saturate16((int64_t)value * ((int64_t)1 << amount));
}

/* gemmlowp's 16-bit SaturatingRoundingDoublingHighMul: round(a*b / 2^15). */
static int16_t hs_sat_rounding_doubling_high_mul(int16_t a, int16_t b) {
  const int32_t ab = (int32_t)a * (int32_t)b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  if (a == b && a == -32768) return 32767;
  /* C99 division truncates toward zero, as gemmlowp's does. */
  return hs_wrap16((ab + nudge) / (1 << 15));
}

/* TFLite's SaturatingDoublingHighMul: a*b / 2^15 truncated toward zero. */
static int16_t hs_sat_doubling_high_mul(int16_t a, int16_t b) {
  if (a == b && a == -32768) return 32767;
  return hs_wrap16(((int32_t)a * (int32_t)b) / (1 << 15));
}

/* gemmlowp's RoundingDivideByPOT instantiated for int16: the mask itself is
 * an int16, so an exponent of 16 or more leaves it all ones. 0 <= exponent <= 31. */
static int16_t hs_rounding_divide_by_pot(int16_t x, int exponent) {
  const int32_t mask = exponent >= 16 ? -1 : (int32_t)((1L << exponent) - 1);
  const int32_t remainder = (int32_t)x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return hs_wrap16(((int32_t)x >> exponent) + (remainder > threshold ? 1 : 0));
}

void kiln_hard_swish_s8(const kiln_hard_swish_s8_params_t* params, const int8_t* input,
                        int8_t* output) {
  const int32_t count = params->count;
  const int16_t out_mult = (int16_t)params->output_multiplier;
  const int16_t relu_mult = (int16_t)params->reluish_multiplier;
  const int out_exp = (int)params->output_exponent;
  const int relu_exp = (int)params->reluish_exponent;
  int32_t i;
  for (i = 0; i < count; ++i) {
    const int16_t x = hs_wrap16((int32_t)input[i] - params->input_zero_point);
    /* Put the significant bits high: |x| <= 255, so x * 128 fits int16. */
    const int16_t x_hires = hs_wrap16((int32_t)x * 128);
    /* x on the output scale, before the final right shift. */
    const int16_t x_preshift = hs_sat_rounding_doubling_high_mul(x_hires, out_mult);
    int16_t reluish = x_hires;
    int16_t preshift_out;
    int32_t out;
    /* Map x from [-3, 3] onto [-1, 1] (saturating), keeping one bit of
     * left shift back so that only the last shift can saturate. */
    if (relu_exp > 0) reluish = hs_saturating_left_shift(reluish, relu_exp - 1);
    reluish = hs_sat_rounding_doubling_high_mul(reluish, relu_mult);
    if (relu_exp > 0) reluish = hs_saturating_left_shift(reluish, 1);
    if (relu_exp < 0) reluish = hs_rounding_divide_by_pot(reluish, -relu_exp);
    /* [-1, 1] -> [0, 1]. */
    reluish = hs_wrap16(((int32_t)reluish + (1 << 15)) >> 1);
    preshift_out = hs_sat_doubling_high_mul(reluish, x_preshift);
    out = hs_wrap16((int32_t)hs_rounding_divide_by_pot(preshift_out, -out_exp) +
                    params->output_zero_point);
    if (out > 127) out = 127;
    if (out < -128) out = -128;
    output[i] = (int8_t)out;
  }
}
