/* compare_s8: int8 comparisons with numpy broadcasting, as TFLite Micro's
 * *WithScaling kernels: each input, offset by its zero point and shifted
 * left by 8, is rescaled by its own scale (a multiplier below one) before
 * the comparison, so inputs of different quantization compare by value. */
#ifndef KILN_KERNELS_COMPARE_S8_H_
#define KILN_KERNELS_COMPARE_S8_H_

#include <stdint.h>

#include "kiln/compare.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_broadcast_t shape;
  /* A KILN_COMPARE_* code. */
  int32_t op;
  /* Negated zero points; the (multiplier, shift <= 0) of each input's scale. */
  int32_t input1_offset;
  int32_t input1_multiplier;
  int32_t input1_shift;
  int32_t input2_offset;
  int32_t input2_multiplier;
  int32_t input2_shift;
} kiln_compare_s8_params_t;
/* a, b: as params->shape describes; output: bool, the broadcast shape. */
void kiln_compare_s8(const kiln_compare_s8_params_t* params, const int8_t* a, const int8_t* b, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_COMPARE_S8_H_ */
