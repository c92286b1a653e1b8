/* mul_s16: int16 MUL, the loop of kiln/mul_quantized.h. */
#include "kiln/kernels/mul_s16.h"

void kiln_mul_s16(const kiln_mul_s16_params_t* params, const int16_t* a, const int16_t* b, int16_t* output) {
  KILN_MUL_QUANTIZED_ELEMENTS(params, a, b, output, int16_t);
}
