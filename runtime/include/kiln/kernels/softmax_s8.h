/* softmax_s8: SOFTMAX on int8 input over the last axis, with int8 output
 * (scale 1/256, zero point -128) or int16 output (scale 1/65536, zero point
 * -32768); bit-exact with TFLite's reference_ops::Softmax (gemmlowp
 * fixed-point exp, Q5.26 scaled differences, Q12.19 accumulation). */
#ifndef KILN_KERNELS_SOFTMAX_S8_H_
#define KILN_KERNELS_SOFTMAX_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Rows: the product of every dimension but the last. */
  int32_t outer_size;
  /* Length of the last axis (the one normalised over). */
  int32_t depth;
  /* input_scale * beta as a Q5.26 multiplier for (x - max):
   * PreprocessSoftmaxScaling with 5 integer bits. input_left_shift >= 0. */
  int32_t input_multiplier;
  int32_t input_left_shift;
  /* Differences below diff_min (<= 0) contribute exp() = 0
   * (-CalculateInputRadius(5, input_left_shift)). */
  int32_t diff_min;
} kiln_softmax_s8_params_t;

/* input: [outer_size, depth] int8; output: same shape, int8 (zp -128). */
void kiln_softmax_s8(const kiln_softmax_s8_params_t* params, const int8_t* input,
                     int8_t* output);

/* input: [outer_size, depth] int8; output: same shape, int16 (zp -32768). */
void kiln_softmax_s8_s16(const kiln_softmax_s8_params_t* params, const int8_t* input,
                         int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SOFTMAX_S8_H_ */
