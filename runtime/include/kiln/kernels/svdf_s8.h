/* svdf_s8: SVDF with int8 input, int8 feature and time weights, int8
 * activation state, int32 bias and int8 output; bit-exact with TFLite
 * Micro's integer reference SVDF. */
#ifndef KILN_KERNELS_SVDF_S8_H_
#define KILN_KERNELS_SVDF_S8_H_

#include <stdint.h>

#include "kiln/svdf_integer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_svdf_integer_params_t kiln_svdf_s8_params_t; /* kiln/svdf_integer.h */

/* input [B,In]; weights_feature [F,In]; weights_time [F,T]; bias [units]
 * int32 or NULL; state [B,F*T] (row b, filter f, time t at b*F*T + f*T + t),
 * read and updated in place, persistent between runs; output [B,units];
 * scratch_filters int32 [B,F]; scratch_units int32 [B,units]. */
void kiln_svdf_s8(const kiln_svdf_s8_params_t* params, const int8_t* input,
                  const int8_t* weights_feature, const int8_t* weights_time, const int32_t* bias,
                  int8_t* state, int8_t* output, int32_t* scratch_filters,
                  int32_t* scratch_units);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SVDF_S8_H_ */
