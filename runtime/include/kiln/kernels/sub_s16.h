/* sub_s16: quantized int16 SUB with numpy broadcasting and a fused
 * activation, bit-exact with TFLite's reference_ops::Sub (int16). */
#ifndef KILN_KERNELS_SUB_S16_H_
#define KILN_KERNELS_SUB_S16_H_

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
  /* Both inputs are scaled up by 2^left_shift (15 for int16) before being
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
} kiln_sub_s16_params_t;

/* output = a - b. a, b, output: int16, any shapes of rank <= 6 as described
 * by params->shape; output has the broadcast shape. */
void kiln_sub_s16(const kiln_sub_s16_params_t* params, const int16_t* a,
                  const int16_t* b, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SUB_S16_H_ */
