/* mul_s8: int8 MUL, the loop of kiln/mul_quantized.h. */
#include "kiln/kernels/mul_s8.h"

void kiln_mul_s8(const kiln_mul_s8_params_t* params, const int8_t* a, const int8_t* b, int8_t* output) {
  KILN_MUL_QUANTIZED_ELEMENTS(params, a, b, output, int8_t);
}
