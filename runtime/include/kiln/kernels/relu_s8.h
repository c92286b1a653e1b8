/* relu_s8: int8 RELU and RELU6 as TFLite Micro computes them (the loop of
 * kiln/relu_quantized.h). */
#ifndef KILN_KERNELS_RELU_S8_H_
#define KILN_KERNELS_RELU_S8_H_

#include <stdint.h>

#include "kiln/relu_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_relu_quantized_params_t kiln_relu_s8_params_t; /* kiln/relu_quantized.h */

void kiln_relu_s8(const kiln_relu_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RELU_S8_H_ */
