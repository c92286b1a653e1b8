/* quantize_f32: QUANTIZE from float32 to int8, uint8 or int16, as TFLite's
 * reference_ops::AffineQuantize computes it. */
#ifndef KILN_KERNELS_QUANTIZE_F32_H_
#define KILN_KERNELS_QUANTIZE_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The output element type. */
typedef enum {
  KILN_QUANTIZE_F32_TO_S8 = 0,
  KILN_QUANTIZE_F32_TO_U8 = 1,
  KILN_QUANTIZE_F32_TO_S16 = 2
} kiln_quantize_f32_output_t;

typedef struct {
  int32_t count; /* number of elements */
  float scale;   /* output scale */
  int32_t zero_point;
  kiln_quantize_f32_output_t output_type;
  /* 0: round x / scale half away from zero (TFLite); 1: half to even (ONNX). */
  int32_t round_half_even;
} kiln_quantize_f32_params_t;

/* output = clamp(round(x / scale) + zero_point), rounding as round_half_even says. input: float32;
 * output: int8_t, uint8_t or int16_t as params->output_type says; `count`
 * elements, any shape. */
void kiln_quantize_f32(const kiln_quantize_f32_params_t* params, const float* input,
                       void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_QUANTIZE_F32_H_ */
