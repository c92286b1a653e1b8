/* abs_f32: float32 ABS: |x| (fabsf), as TFLite's std::abs. */
#ifndef KILN_KERNELS_ABS_F32_H_
#define KILN_KERNELS_ABS_F32_H_

#include "kiln/unary_f32.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_unary_f32_params_t kiln_abs_f32_params_t;

/* input, output: [size] float32. */
void kiln_abs_f32(const kiln_abs_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ABS_F32_H_ */
