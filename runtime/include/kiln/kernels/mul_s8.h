/* mul_s8: quantized int8 MUL with numpy broadcasting and a fused
 * activation, bit-exact with TFLite's reference_integer_ops::Mul. */
#ifndef KILN_KERNELS_MUL_S8_H_
#define KILN_KERNELS_MUL_S8_H_

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
  /* scale_a * scale_b / scale_out as a TFLite fixed-point multiplier. */
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t output_offset; /* output zero point */
  int32_t activation_min;
  int32_t activation_max;
} kiln_mul_s8_params_t;

/* output = a * b. a, b, output: int8, shapes as described by params->shape;
 * output has the broadcast shape. */
void kiln_mul_s8(const kiln_mul_s8_params_t* params, const int8_t* a, const int8_t* b,
                 int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MUL_S8_H_ */
