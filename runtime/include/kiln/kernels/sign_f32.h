/* sign_f32: float32 SIGN: -1, 0 or 1 as x is negative, zero or positive; a
 * zero keeps its sign and NaN stays NaN (ONNX's Sign, numpy's sign). */
#ifndef KILN_KERNELS_SIGN_F32_H_
#define KILN_KERNELS_SIGN_F32_H_

#include "kiln/unary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_unary_f32_params_t kiln_sign_f32_params_t;

/* input, output: [size] float32. */
void kiln_sign_f32(const kiln_sign_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SIGN_F32_H_ */
