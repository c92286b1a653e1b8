/* mul_s8: quantized int8 MUL with numpy broadcasting and a fused
 * activation, bit-exact with TFLite's reference_integer_ops::Mul. */
#ifndef KILN_KERNELS_MUL_S8_H_
#define KILN_KERNELS_MUL_S8_H_

#include <stdint.h>

#include "kiln/mul_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_mul_quantized_params_t kiln_mul_s8_params_t; /* kiln/mul_quantized.h */

void kiln_mul_s8(const kiln_mul_s8_params_t* params, const int8_t* a, const int8_t* b, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MUL_S8_H_ */
