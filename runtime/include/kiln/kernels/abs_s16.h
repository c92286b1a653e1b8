/* abs_s16: quantized int16 ABS as TFLite Micro computes it
 * (kiln/abs_quantized.h); zero points 0. */
#ifndef KILN_KERNELS_ABS_S16_H_
#define KILN_KERNELS_ABS_S16_H_

#include <stdint.h>

#include "kiln/abs_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_abs_quantized_params_t kiln_abs_s16_params_t; /* kiln/abs_quantized.h */

void kiln_abs_s16(const kiln_abs_s16_params_t* params, const int16_t* input, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ABS_S16_H_ */
