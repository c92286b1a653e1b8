/* log_softmax_s8: LOG_SOFTMAX on int8 over the last axis, output scale
 * 16/256 and zero point 127; bit-exact with TensorFlow Lite Micro's
 * reference_ops::LogSoftmax for int8 (gemmlowp's exp on Q5.26 scaled
 * differences, a Q12.19 sum, its log in Q5.26). C99. */
#ifndef KILN_KERNELS_LOG_SOFTMAX_S8_H_
#define KILN_KERNELS_LOG_SOFTMAX_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t outer_size; /* rows: the product of every dimension but the last */
  int32_t depth;      /* the last axis, the one normalised over */
  /* input_scale as a Q5.26 multiplier for (x - max) (PreprocessSoftmaxScaling
   * with 5 integer bits, beta 1); input_left_shift >= 0. */
  int32_t input_multiplier;
  int32_t input_left_shift;
  /* The inverse of that scaling (PreprocessLogSoftmaxScalingExp), shift <= 0. */
  int32_t reverse_scaling_divisor;
  int32_t reverse_scaling_shift;
  /* Differences below diff_min (<= 0) do not reach the sum
   * (-CalculateInputRadius(5, input_left_shift)). */
  int32_t diff_min;
} kiln_log_softmax_s8_params_t;

/* input and output: [outer_size, depth]. */
void kiln_log_softmax_s8(const kiln_log_softmax_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LOG_SOFTMAX_S8_H_ */
