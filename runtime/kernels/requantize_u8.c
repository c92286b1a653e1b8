/* requantize_u8: requantization of uint8 tensors. TFLite's int8<->uint8 fast
 * path (flip the top bit when only the zero point moves by 128) gives the
 * same bytes as this general formula, so it needs no special case. */
#include "kiln/kernels/requantize_u8.h"

#include "kiln/fixedpoint.h"

/* The subtraction and addition go through uint32 so that the int32 cases
 * wrap (as TFLite's arithmetic does in practice) instead of overflowing. */
static int32_t requantize_u8_one(const kiln_requantize_u8_params_t* p, int32_t x) {
  const int32_t centered = (int32_t)((uint32_t)x - (uint32_t)p->input_zero_point);
  const int32_t scaled =
      kiln_multiply_by_quantized_multiplier(centered, p->multiplier, (int)p->shift);
  return (int32_t)((uint32_t)scaled + (uint32_t)p->output_zero_point);
}

void kiln_requantize_u8(const kiln_requantize_u8_params_t* params, const uint8_t* input,
                        void* output) {
  const int32_t count = params->count;
  int32_t i;
  switch (params->output_type) {
    case KILN_REQUANTIZE_U8_TO_S8: {
      int8_t* out = (int8_t*)output;
      for (i = 0; i < count; ++i)
        out[i] = (int8_t)kiln_clamp_i32(requantize_u8_one(params, input[i]), -128, 127);
      break;
    }
    case KILN_REQUANTIZE_U8_TO_U8: {
      uint8_t* out = (uint8_t*)output;
      for (i = 0; i < count; ++i)
        out[i] = (uint8_t)kiln_clamp_i32(requantize_u8_one(params, input[i]), 0, 255);
      break;
    }
  }
}
