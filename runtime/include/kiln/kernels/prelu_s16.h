/* prelu_s16: quantized PRELU (int16 input, int8 alpha) with numpy broadcasting of alpha,
 * as TFLite Micro computes it (kiln/prelu_quantized.h). */
#ifndef KILN_KERNELS_PRELU_S16_H_
#define KILN_KERNELS_PRELU_S16_H_

#include <stdint.h>

#include "kiln/prelu_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_prelu_quantized_params_t kiln_prelu_s16_params_t; /* kiln/prelu_quantized.h */

void kiln_prelu_s16(const kiln_prelu_s16_params_t* params, const int16_t* x, const int8_t* alpha, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_PRELU_S16_H_ */
