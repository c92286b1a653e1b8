/* hard_swish_f32: float32 HARD_SWISH, x * min(6, max(0, x + 3)) / 6. */
#ifndef KILN_KERNELS_HARD_SWISH_F32_H_
#define KILN_KERNELS_HARD_SWISH_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
} kiln_hard_swish_f32_params_t;

/* input, output: float32, `count` elements, any shape. */
void kiln_hard_swish_f32(const kiln_hard_swish_f32_params_t* params, const float* input,
                         float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_HARD_SWISH_F32_H_ */
