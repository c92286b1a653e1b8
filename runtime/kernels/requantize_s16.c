/* requantize_s16: requantization of int16 tensors. */
#include "kiln/kernels/requantize_s16.h"

#include "kiln/fixedpoint.h"

/* The subtraction and addition go through uint32 so that the int32 cases
 * wrap (as TFLite's arithmetic does in practice) instead of overflowing. */
static int32_t requantize_s16_one(const kiln_requantize_s16_params_t* p, int32_t x) {
  const int32_t centered = (int32_t)((uint32_t)x - (uint32_t)p->input_zero_point);
  const int32_t scaled =
      kiln_multiply_by_quantized_multiplier(centered, p->multiplier, (int)p->shift);
  return (int32_t)((uint32_t)scaled + (uint32_t)p->output_zero_point);
}

void kiln_requantize_s16(const kiln_requantize_s16_params_t* params, const int16_t* input,
                         void* output) {
  const int32_t count = params->count;
  int32_t i;
  switch (params->output_type) {
    case KILN_REQUANTIZE_S16_TO_S8: {
      int8_t* out = (int8_t*)output;
      for (i = 0; i < count; ++i)
        out[i] = (int8_t)kiln_clamp_i32(requantize_s16_one(params, input[i]), -128, 127);
      break;
    }
    case KILN_REQUANTIZE_S16_TO_S16: {
      int16_t* out = (int16_t*)output;
      for (i = 0; i < count; ++i)
        out[i] = (int16_t)kiln_clamp_i32(requantize_s16_one(params, input[i]), -32768, 32767);
      break;
    }
    case KILN_REQUANTIZE_S16_TO_S32: {
      int32_t* out = (int32_t*)output;
      for (i = 0; i < count; ++i)
        out[i] = requantize_s16_one(params, input[i]); /* no clamp: any int32 fits */
      break;
    }
  }
}
