/* dequantize_s16: DEQUANTIZE from int16 to float32, scale * (q - zero_point). */
#ifndef KILN_KERNELS_DEQUANTIZE_S16_H_
#define KILN_KERNELS_DEQUANTIZE_S16_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
  float scale;   /* input scale */
  int32_t zero_point;
} kiln_dequantize_s16_params_t;

/* input: int16; output: float32; `count` elements, any shape. */
void kiln_dequantize_s16(const kiln_dequantize_s16_params_t* params, const int16_t* input,
                         float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEQUANTIZE_S16_H_ */
