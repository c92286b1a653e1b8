/* quantize_f32: float32 -> int8/uint8/int16. The division and the rounding
 * are in float, as in TFLite's AffineQuantize (roundf rounds half away from
 * zero, like its std::round). TFLite then adds the zero point and clamps in
 * double; clamping the rounded float to [qmin - zp, qmax - zp] first and
 * adding the zero point as an integer gives the same result without double
 * arithmetic, which a single-precision FPU would have to emulate. */
#include "kiln/kernels/quantize_f32.h"

#include <math.h>

/* v rounded half to even, independent of the FPU's rounding mode (v - floor(v)
 * is exact in float). */
static float round_half_even_f32(float v) {
  const float f = floorf(v);
  const float d = v - f;
  if (d > 0.5f) return f + 1.0f;
  if (d < 0.5f) return f;
  return fmodf(f, 2.0f) == 0.0f ? f : f + 1.0f;
}

static int32_t quantize_f32_one(float x, float scale, float lo, float hi, int32_t half_even) {
  float r = half_even ? round_half_even_f32(x / scale) : roundf(x / scale);
  /* Written so that a NaN lands on `lo` instead of an undefined conversion. */
  if (!(r >= lo)) r = lo;
  if (r > hi) r = hi;
  return (int32_t)r;
}

void kiln_quantize_f32(const kiln_quantize_f32_params_t* params, const float* input,
                       void* output) {
  const int32_t count = params->count;
  const float scale = params->scale;
  const int32_t zp = params->zero_point;
  const int32_t half_even = params->round_half_even;
  int32_t i;
  switch (params->output_type) {
    case KILN_QUANTIZE_F32_TO_S8: {
      int8_t* out = (int8_t*)output;
      const float lo = (float)(-128 - zp);
      const float hi = (float)(127 - zp);
      for (i = 0; i < count; ++i) out[i] = (int8_t)(quantize_f32_one(input[i], scale, lo, hi, half_even) + zp);
      break;
    }
    case KILN_QUANTIZE_F32_TO_U8: {
      uint8_t* out = (uint8_t*)output;
      const float lo = (float)(0 - zp);
      const float hi = (float)(255 - zp);
      for (i = 0; i < count; ++i)
        out[i] = (uint8_t)(quantize_f32_one(input[i], scale, lo, hi, half_even) + zp);
      break;
    }
    case KILN_QUANTIZE_F32_TO_S16: {
      int16_t* out = (int16_t*)output;
      const float lo = (float)(-32768 - zp);
      const float hi = (float)(32767 - zp);
      for (i = 0; i < count; ++i)
        out[i] = (int16_t)(quantize_f32_one(input[i], scale, lo, hi, half_even) + zp);
      break;
    }
  }
}
