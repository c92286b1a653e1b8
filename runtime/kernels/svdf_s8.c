/* svdf_s8: integer SVDF with an int8 activation state (TFLite Micro's
 * EvalIntegerSvdfReference with T = int8_t). */
#include "kiln/kernels/svdf_s8.h"

void kiln_svdf_s8(const kiln_svdf_s8_params_t* params, const int8_t* input,
                  const int8_t* weights_feature, const int8_t* weights_time, const int32_t* bias,
                  int8_t* state, int8_t* output, int32_t* scratch_filters,
                  int32_t* scratch_units) {
  kiln_svdf_integer(params, input, weights_feature, weights_time, bias, state, output, scratch_filters,
                    scratch_units, 0);
}
