/* mean_s16: int16 MEAN and SUM, the loop of kiln/mean_quantized.h. */
#include "kiln/kernels/mean_s16.h"

void kiln_mean_s16(const kiln_mean_s16_params_t* params, const int16_t* input, int16_t* output, int32_t* scratch) {
  KILN_MEAN_QUANTIZED_BODY(params, input, output, scratch, int16_t, -32768, 32767);
}
