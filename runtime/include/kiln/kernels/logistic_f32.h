/* logistic_f32: float LOGISTIC as TFLite's reference (with its cut-offs). */
#ifndef KILN_KERNELS_LOGISTIC_F32_H_
#define KILN_KERNELS_LOGISTIC_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Number of elements (any shape; elementwise). */
  int32_t size;
} kiln_logistic_f32_params_t;

/* input, output: [size] float32. */
void kiln_logistic_f32(const kiln_logistic_f32_params_t* params, const float* input,
                       float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LOGISTIC_F32_H_ */
