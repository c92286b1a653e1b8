/* abs_s8: quantized int8 ABS as TFLite Micro computes it
 * (kiln/abs_quantized.h). */
#ifndef KILN_KERNELS_ABS_S8_H_
#define KILN_KERNELS_ABS_S8_H_

#include <stdint.h>

#include "kiln/abs_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_abs_quantized_params_t kiln_abs_s8_params_t; /* kiln/abs_quantized.h */

void kiln_abs_s8(const kiln_abs_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ABS_S8_H_ */
