/* relu_s16: int16 RELU and RELU6 as TFLite Micro computes them (the loop of
 * kiln/relu_quantized.h). */
#ifndef KILN_KERNELS_RELU_S16_H_
#define KILN_KERNELS_RELU_S16_H_

#include <stdint.h>

#include "kiln/relu_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_relu_quantized_params_t kiln_relu_s16_params_t; /* kiln/relu_quantized.h */

void kiln_relu_s16(const kiln_relu_s16_params_t* params, const int16_t* input, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RELU_S16_H_ */
