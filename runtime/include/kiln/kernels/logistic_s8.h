/* logistic_s8: LOGISTIC on int8, output scale 1/256 and zero point -128;
 * bit-exact with TFLite's reference_integer_ops::Logistic (input rescaled to
 * Q4.27, gemmlowp fixed-point logistic). */
#ifndef KILN_KERNELS_LOGISTIC_S8_H_
#define KILN_KERNELS_LOGISTIC_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Number of elements (any shape; elementwise). */
  int32_t size;
  int32_t input_zero_point;
  /* |x - zero_point| at or beyond this saturates the output. */
  int32_t input_range_radius;
  /* input_scale * 2^27 as multiplier * 2^(input_left_shift - 31). */
  int32_t input_multiplier;
  int32_t input_left_shift;
} kiln_logistic_s8_params_t;

/* input, output: [size] int8. */
void kiln_logistic_s8(const kiln_logistic_s8_params_t* params, const int8_t* input,
                      int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LOGISTIC_S8_H_ */
