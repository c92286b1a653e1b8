/* mul_s16: quantized int16 MUL (zero points 0) with numpy broadcasting and a fused
 * activation, bit-exact with TFLite's reference_integer_ops::Mul. */
#ifndef KILN_KERNELS_MUL_S16_H_
#define KILN_KERNELS_MUL_S16_H_

#include <stdint.h>

#include "kiln/mul_quantized.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_mul_quantized_params_t kiln_mul_s16_params_t; /* kiln/mul_quantized.h */

void kiln_mul_s16(const kiln_mul_s16_params_t* params, const int16_t* a, const int16_t* b, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MUL_S16_H_ */
