/* softmax_f32: float SOFTMAX over the last axis, as TFLite's reference
 * (max-subtracted exp scaled by beta, divided by the row sum). */
#ifndef KILN_KERNELS_SOFTMAX_F32_H_
#define KILN_KERNELS_SOFTMAX_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Rows: the product of every dimension but the last. */
  int32_t outer_size;
  /* Length of the last axis. */
  int32_t depth;
  float beta;
} kiln_softmax_f32_params_t;

/* input, output: [outer_size, depth] float32. */
void kiln_softmax_f32(const kiln_softmax_f32_params_t* params, const float* input,
                      float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SOFTMAX_F32_H_ */
