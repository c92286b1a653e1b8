/* log_softmax_f32: float LOG_SOFTMAX over the last axis,
 * (x - max) * beta - log(sum exp((x - max) * beta)); ONNX LogSoftmax and TFLite LOG_SOFTMAX agree on this formula. */
#ifndef KILN_KERNELS_LOG_SOFTMAX_F32_H_
#define KILN_KERNELS_LOG_SOFTMAX_F32_H_

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
} kiln_log_softmax_f32_params_t;

/* input, output: [outer_size, depth] float32. */
void kiln_log_softmax_f32(const kiln_log_softmax_f32_params_t* params, const float* input,
                      float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LOG_SOFTMAX_F32_H_ */
