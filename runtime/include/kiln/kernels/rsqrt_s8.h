/* rsqrt_s8: quantized int8 RSQRT as TensorFlow Lite Micro's
 * RsqrtEvalQuantized: 1 / sqrt(x - zero point) by TFLite's
 * GetInvSqrtQuantizedMultiplierExp (Newton-Raphson in fixed point) at
 * 2^20, then requantized by 1 / (sqrt(input_scale) * output_scale) and
 * the 2^20 taken back out; x at the zero point gives 127. A value below
 * the zero point stops the kernel with KILN_ERROR_OUT_OF_DOMAIN. C99. */
#ifndef KILN_KERNELS_RSQRT_S8_H_
#define KILN_KERNELS_RSQRT_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
  int32_t input_zero_point;
  int32_t output_zero_point;
  /* 1 / (sqrt(input_scale) * output_scale), TFLite's encoding. */
  int32_t multiplier;
  int32_t shift;
} kiln_rsqrt_s8_params_t;

/* Returns KILN_OK, or KILN_ERROR_OUT_OF_DOMAIN at the first negative value. */
int32_t kiln_rsqrt_s8(const kiln_rsqrt_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RSQRT_S8_H_ */
