/* relu_s8: int8 RELU and RELU6, the loop of kiln/relu_quantized.h. */
#include "kiln/kernels/relu_s8.h"

void kiln_relu_s8(const kiln_relu_s8_params_t* params, const int8_t* input, int8_t* output) {
  KILN_RELU_QUANTIZED_ELEMENTS(params, input, output, int8_t);
}
