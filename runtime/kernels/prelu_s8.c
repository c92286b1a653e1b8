/* prelu_s8: PRELU (int8 input and alpha), the loop of kiln/prelu_quantized.h. */
#include "kiln/kernels/prelu_s8.h"

void kiln_prelu_s8(const kiln_prelu_s8_params_t* params, const int8_t* x, const int8_t* alpha, int8_t* output) {
  KILN_PRELU_QUANTIZED_ELEMENTS(params, x, alpha, output, int8_t, -128, 127);
}
