/* mean_s16: MEAN and SUM on int16 over any set of axes, bit-exact with
 * TFLite Micro (kiln/mean_quantized.h). */
#ifndef KILN_KERNELS_MEAN_S16_H_
#define KILN_KERNELS_MEAN_S16_H_

#include <stdint.h>

#include "kiln/mean_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_mean_quantized_params_t kiln_mean_s16_params_t; /* kiln/mean_quantized.h */

/* input: int16, input_dims; output: [num_outputs] int16; scratch:
 * [num_outputs] int32 (the sums). */
void kiln_mean_s16(const kiln_mean_s16_params_t* params, const int16_t* input, int16_t* output, int32_t* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MEAN_S16_H_ */
