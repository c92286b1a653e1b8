/* cast: each element read as int64 (integer types) or float, then written
 * in the output's type. */
#include "kiln/kernels/cast.h"

/* f truncated toward zero and clamped to [lo, hi]; NaN gives 0. Compares in
 * float: lo and hi are exact in float for every type but int32/int64, whose
 * bounds round up to 2^31 / 2^63 (so >= catches them). */
static int64_t saturate(float f, float lo, float hi, int64_t lo_i, int64_t hi_i) {
  if (f != f) return 0;
  if (f <= lo) return lo_i;
  if (f >= hi) return hi_i;
  return (int64_t)f;
}

void kiln_cast(const kiln_cast_params_t* params, const void* input, void* output) {
  const int is_float = params->from == KILN_CAST_FLOAT32;
  int32_t i;
  for (i = 0; i < params->count; ++i) {
    int64_t v = 0;
    float f = 0.0f;
    switch (params->from) {
      case KILN_CAST_BOOL: v = ((const uint8_t*)input)[i] != 0; break;
      case KILN_CAST_INT8: v = ((const int8_t*)input)[i]; break;
      case KILN_CAST_UINT8: v = ((const uint8_t*)input)[i]; break;
      case KILN_CAST_INT16: v = ((const int16_t*)input)[i]; break;
      case KILN_CAST_INT32: v = ((const int32_t*)input)[i]; break;
      case KILN_CAST_INT64: v = ((const int64_t*)input)[i]; break;
      default: f = ((const float*)input)[i]; break;
    }
    switch (params->to) {
      case KILN_CAST_BOOL: ((uint8_t*)output)[i] = (uint8_t)(is_float ? f != 0.0f : v != 0); break;
      case KILN_CAST_INT8:
        ((int8_t*)output)[i] = (int8_t)(is_float ? saturate(f, -128.0f, 127.0f, -128, 127) : (int64_t)(int8_t)v);
        break;
      case KILN_CAST_UINT8:
        ((uint8_t*)output)[i] = (uint8_t)(is_float ? saturate(f, 0.0f, 255.0f, 0, 255) : v);
        break;
      case KILN_CAST_INT16:
        ((int16_t*)output)[i] =
            (int16_t)(is_float ? saturate(f, -32768.0f, 32767.0f, -32768, 32767) : (int64_t)(int16_t)v);
        break;
      case KILN_CAST_INT32:
        ((int32_t*)output)[i] = (int32_t)(is_float ? saturate(f, -2147483648.0f, 2147483648.0f, INT32_MIN, INT32_MAX)
                                                   : (int64_t)(int32_t)v);
        break;
      case KILN_CAST_INT64:
        ((int64_t*)output)[i] =
            is_float ? saturate(f, -9223372036854775808.0f, 9223372036854775808.0f, INT64_MIN, INT64_MAX) : v;
        break;
      default: ((float*)output)[i] = is_float ? f : (float)v; break;
    }
  }
}
