/* add_s8: quantized int8 ADD with numpy broadcasting and a fused
 * activation, bit-exact with TFLite's reference_integer_ops::Add. */
#ifndef KILN_KERNELS_ADD_S8_H_
#define KILN_KERNELS_ADD_S8_H_

#include <stdint.h>

#include "kiln/broadcast.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_broadcast_t shape;
  /* Negated input zero points. */
  int32_t input1_offset;
  int32_t input2_offset;
  /* Both inputs are scaled up by 2^left_shift (20 for int8) before being
   * rescaled onto a common scale of 2 * max(input scales). */
  int32_t left_shift;
  int32_t input1_multiplier;
  int32_t input1_shift; /* <= 0 */
  int32_t input2_multiplier;
  int32_t input2_shift; /* <= 0 */
  int32_t output_multiplier;
  int32_t output_shift; /* <= 0 */
  int32_t output_offset; /* output zero point */
  int32_t activation_min;
  int32_t activation_max;
} kiln_add_s8_params_t;

/* output = a + b. a, b, output: int8, any shapes of rank <= 6 as described
 * by params->shape; output has the broadcast shape. */
void kiln_add_s8(const kiln_add_s8_params_t* params, const int8_t* a, const int8_t* b,
                 int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ADD_S8_H_ */
