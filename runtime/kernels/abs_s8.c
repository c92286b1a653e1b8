/* abs_s8: int8 ABS, the loop of kiln/abs_quantized.h. */
#include "kiln/kernels/abs_s8.h"

void kiln_abs_s8(const kiln_abs_s8_params_t* params, const int8_t* input, int8_t* output) {
  KILN_ABS_QUANTIZED_ELEMENTS(params, input, output, int8_t, -128, 127);
}
