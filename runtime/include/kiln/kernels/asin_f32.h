/* asin_f32: float32 ASIN: asinf(x). */
#ifndef KILN_KERNELS_ASIN_F32_H_
#define KILN_KERNELS_ASIN_F32_H_

#include "kiln/unary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_unary_f32_params_t kiln_asin_f32_params_t;

/* input, output: [size] float32. */
void kiln_asin_f32(const kiln_asin_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ASIN_F32_H_ */
