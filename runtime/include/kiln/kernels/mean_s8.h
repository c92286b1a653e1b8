/* mean_s8: MEAN and SUM on int8 over any set of axes, bit-exact with
 * TFLite Micro (kiln/mean_quantized.h). */
#ifndef KILN_KERNELS_MEAN_S8_H_
#define KILN_KERNELS_MEAN_S8_H_

#include <stdint.h>

#include "kiln/mean_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_mean_quantized_params_t kiln_mean_s8_params_t; /* kiln/mean_quantized.h */

/* input: int8, input_dims; output: [num_outputs] int8; scratch:
 * [num_outputs] int32 (the sums). */
void kiln_mean_s8(const kiln_mean_s8_params_t* params, const int8_t* input, int8_t* output, int32_t* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MEAN_S8_H_ */
