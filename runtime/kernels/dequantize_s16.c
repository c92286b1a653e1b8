/* dequantize_s16: int16 -> float32. TFLite multiplies in double and rounds the
 * product to float; q - zero_point has at most 17 significant bits, so both it
 * and the exact product (<= 41 bits) are exact in double, and one float
 * multiply yields the same correctly rounded result without double arithmetic
 * (which a single-precision FPU would have to emulate). */
#include "kiln/kernels/dequantize_s16.h"

void kiln_dequantize_s16(const kiln_dequantize_s16_params_t* params, const int16_t* input,
                         float* output) {
  const int32_t count = params->count;
  const float scale = params->scale;
  const int32_t zp = params->zero_point;
  int32_t i;
  for (i = 0; i < count; ++i) output[i] = scale * (float)((int32_t)input[i] - zp);
}
