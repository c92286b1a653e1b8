/* cast_f64: each element read as a double (every input type widens to one,
 * int64 beyond 2^53 rounding), then written in the output's type. */
#include "kiln/kernels/cast_f64.h"

/* d truncated toward zero and clamped to [lo, hi]; NaN gives 0. */
static int64_t saturate(double d, double lo, double hi, int64_t lo_i, int64_t hi_i) {
  if (d != d) return 0;
  if (d <= lo) return lo_i;
  if (d >= hi) return hi_i;
  return (int64_t)d;
}

void kiln_cast_f64(const kiln_cast_params_t* params, const void* input, void* output) {
  int32_t i;
  for (i = 0; i < params->count; ++i) {
    double d;
    switch (params->from) {
      case KILN_CAST_BOOL: d = ((const uint8_t*)input)[i] != 0; break;
      case KILN_CAST_INT8: d = ((const int8_t*)input)[i]; break;
      case KILN_CAST_UINT8: d = ((const uint8_t*)input)[i]; break;
      case KILN_CAST_INT16: d = ((const int16_t*)input)[i]; break;
      case KILN_CAST_INT32: d = ((const int32_t*)input)[i]; break;
      case KILN_CAST_INT64: d = (double)((const int64_t*)input)[i]; break;
      case KILN_CAST_FLOAT32: d = ((const float*)input)[i]; break;
      default: d = ((const double*)input)[i]; break;
    }
    switch (params->to) {
      case KILN_CAST_BOOL: ((uint8_t*)output)[i] = (uint8_t)(d != 0.0); break;
      case KILN_CAST_INT8: ((int8_t*)output)[i] = (int8_t)saturate(d, -128.0, 127.0, -128, 127); break;
      case KILN_CAST_UINT8: ((uint8_t*)output)[i] = (uint8_t)saturate(d, 0.0, 255.0, 0, 255); break;
      case KILN_CAST_INT16: ((int16_t*)output)[i] = (int16_t)saturate(d, -32768.0, 32767.0, -32768, 32767); break;
      case KILN_CAST_INT32:
        ((int32_t*)output)[i] = (int32_t)saturate(d, -2147483648.0, 2147483647.0, INT32_MIN, INT32_MAX);
        break;
      case KILN_CAST_INT64:
        ((int64_t*)output)[i] = saturate(d, -9223372036854775808.0, 9223372036854775808.0, INT64_MIN, INT64_MAX);
        break;
      case KILN_CAST_FLOAT32: ((float*)output)[i] = (float)d; break;
      default: ((double*)output)[i] = d; break;
    }
  }
}
