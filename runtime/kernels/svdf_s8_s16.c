/* svdf_s8_s16: integer SVDF with int16 time weights and activation state
 * (TFLite Micro's EvalIntegerSvdfReference with T = int16_t). */
#include "kiln/kernels/svdf_s8_s16.h"

void kiln_svdf_s8_s16(const kiln_svdf_s8_s16_params_t* params, const int8_t* input,
                      const int8_t* weights_feature, const int16_t* weights_time,
                      const int32_t* bias, int16_t* state, int8_t* output,
                      int32_t* scratch_filters, int32_t* scratch_units) {
  kiln_svdf_integer(params, input, weights_feature, weights_time, bias, state, output, scratch_filters,
                    scratch_units, 1);
}
