/* mean_s8: int8 MEAN and SUM, the loop of kiln/mean_quantized.h. */
#include "kiln/kernels/mean_s8.h"

void kiln_mean_s8(const kiln_mean_s8_params_t* params, const int8_t* input, int8_t* output, int32_t* scratch) {
  KILN_MEAN_QUANTIZED_BODY(params, input, output, scratch, int8_t, -128, 127);
}
