/* abs_s16: int16 ABS, the loop of kiln/abs_quantized.h. */
#include "kiln/kernels/abs_s16.h"

void kiln_abs_s16(const kiln_abs_s16_params_t* params, const int16_t* input, int16_t* output) {
  KILN_ABS_QUANTIZED_ELEMENTS(params, input, output, int16_t, -32768, 32767);
}
