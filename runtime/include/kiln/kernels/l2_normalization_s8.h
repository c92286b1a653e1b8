/* l2_normalization_s8: L2_NORMALIZATION on int8: each vector along the last
 * axis, less the input zero point, times the inverse square root of its sum
 * of squares (gemmlowp's Newton-Raphson, GetInvSqrtQuantizedMultiplierExp),
 * into the output scale 1/128, zero point 0; TFLite's
 * reference_integer_ops::L2Normalization, bit-exact. */
#ifndef KILN_KERNELS_L2_NORMALIZATION_S8_H_
#define KILN_KERNELS_L2_NORMALIZATION_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Vectors, and the length of each (the last axis). */
  int32_t rows, depth;
  int32_t input_zero_point;
} kiln_l2_normalization_s8_params_t;

/* input, output: [rows, depth] int8 (any leading shape). */
void kiln_l2_normalization_s8(const kiln_l2_normalization_s8_params_t* params, const int8_t* input,
                              int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_L2_NORMALIZATION_S8_H_ */
