/* svdf_s8_s16: SVDF with int8 input and feature weights, int16 time
 * weights and activation state, int32 bias and int8 output (TFLite's
 * standard int8 SVDF quantization); bit-exact with TFLite Micro's integer
 * reference SVDF. */
#ifndef KILN_KERNELS_SVDF_S8_S16_H_
#define KILN_KERNELS_SVDF_S8_S16_H_

#include <stdint.h>

#include "kiln/svdf_integer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_svdf_integer_params_t kiln_svdf_s8_s16_params_t; /* kiln/svdf_integer.h */

/* input [B,In] int8; weights_feature [F,In] int8; weights_time [F,T] int16;
 * bias [units] int32 or NULL; state [B,F*T] int16 (row b, filter f, time t
 * at b*F*T + f*T + t), read and updated in place, persistent between runs;
 * output [B,units] int8; scratch_filters int32 [B,F]; scratch_units int32
 * [B,units]. */
void kiln_svdf_s8_s16(const kiln_svdf_s8_s16_params_t* params, const int8_t* input,
                      const int8_t* weights_feature, const int16_t* weights_time,
                      const int32_t* bias, int16_t* state, int8_t* output,
                      int32_t* scratch_filters, int32_t* scratch_units);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SVDF_S8_S16_H_ */
