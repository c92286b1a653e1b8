/* softmax_s16: SOFTMAX on int16 input (zero point 0) with int16 output
 * (scale 1/32768, zero point 0), bit-exact with TFLite's
 * reference_ops::SoftmaxInt16: exp and 1/(1+x) by interpolated 513-entry
 * lookup tables generated at compile time. */
#ifndef KILN_KERNELS_SOFTMAX_S16_H_
#define KILN_KERNELS_SOFTMAX_S16_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Rows: the product of every dimension but the last. */
  int32_t outer_size;
  /* Length of the last axis. */
  int32_t depth;
  /* input_scale * beta / (10 / 65535): maps differences to [-65535, 0]
   * for [-10, 0]; applied with MultiplyByQuantizedMultiplier. */
  int32_t input_multiplier;
  int32_t input_left_shift;
  /* exp(x) for x in [-10, 0], and 1 / (1 + x) for x in [0, 1]: 513 int16
   * entries each, outputs in units of 1/32768. */
  const int16_t* exp_lut;
  const int16_t* one_over_one_plus_x_lut;
} kiln_softmax_s16_params_t;

/* input, output: [outer_size, depth] int16. */
void kiln_softmax_s16(const kiln_softmax_s16_params_t* params, const int16_t* input,
                      int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SOFTMAX_S16_H_ */
