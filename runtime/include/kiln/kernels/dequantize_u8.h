/* dequantize_u8: DEQUANTIZE from uint8 to float32, scale * (q - zero_point). */
#ifndef KILN_KERNELS_DEQUANTIZE_U8_H_
#define KILN_KERNELS_DEQUANTIZE_U8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count; /* number of elements */
  float scale;   /* input scale */
  int32_t zero_point;
} kiln_dequantize_u8_params_t;

/* input: uint8; output: float32; `count` elements, any shape. */
void kiln_dequantize_u8(const kiln_dequantize_u8_params_t* params, const uint8_t* input,
                        float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DEQUANTIZE_U8_H_ */
