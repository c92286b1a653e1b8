/* prelu_s16: PRELU (int16 input, int8 alpha), the loop of kiln/prelu_quantized.h. */
#include "kiln/kernels/prelu_s16.h"

void kiln_prelu_s16(const kiln_prelu_s16_params_t* params, const int16_t* x, const int8_t* alpha, int16_t* output) {
  KILN_PRELU_QUANTIZED_ELEMENTS(params, x, alpha, output, int16_t, -32768, 32767);
}
