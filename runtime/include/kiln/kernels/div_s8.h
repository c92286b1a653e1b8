/* div_s8: quantized int8 DIV with numpy broadcasting and a fused
 * activation, as TensorFlow Lite's reference_ops::Div for int8 computes
 * it: the divisor's reciprocal by gemmlowp's Newton iteration, the
 * quotient requantized to the output. A zero divisor (after its zero
 * point) stops the kernel with KILN_ERROR_DIVISION_BY_ZERO. C99. */
#ifndef KILN_KERNELS_DIV_S8_H_
#define KILN_KERNELS_DIV_S8_H_

#include <stdint.h>

#include "kiln/broadcast.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_broadcast_t shape;
  int32_t input1_offset; /* minus input a's zero point */
  int32_t input2_offset; /* minus input b's zero point */
  int32_t output_offset; /* the output's zero point */
  /* scale_a / (scale_b * scale_out), TFLite's encoding; the compiler keeps
   * output_shift <= 22, so every shift below is a right shift. */
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t activation_min;
  int32_t activation_max;
} kiln_div_s8_params_t;

/* Returns KILN_OK, or KILN_ERROR_DIVISION_BY_ZERO at the first zero divisor. */
int32_t kiln_div_s8(const kiln_div_s8_params_t* params, const int8_t* a, const int8_t* b, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DIV_S8_H_ */
