/* dequantize_s8: DEQUANTIZE from int8 to float32, scale * (q - zero_point). */
#ifndef KILN_KERNELS_DEQUANTIZE_S8_H_
#define KILN_KERNELS_DEQUANTIZE_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
  float scale;   /* input scale */
  int32_t zero_point;
} kiln_dequantize_s8_params_t;

/* input: int8; output: float32; `count` elements, any shape. */
void kiln_dequantize_s8(const kiln_dequantize_s8_params_t* params, const int8_t* input,
                        float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEQUANTIZE_S8_H_ */
