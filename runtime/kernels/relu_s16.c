/* relu_s16: int16 RELU and RELU6, the loop of kiln/relu_quantized.h. */
#include "kiln/kernels/relu_s16.h"

void kiln_relu_s16(const kiln_relu_s16_params_t* params, const int16_t* input, int16_t* output) {
  KILN_RELU_QUANTIZED_ELEMENTS(params, input, output, int16_t);
}
