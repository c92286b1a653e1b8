/* requantize_s32: QUANTIZE from int32 to another quantization (TFLite Micro's
 * reference_ops::Requantize): output = clamp(MultiplyByQuantizedMultiplier(
 * x - input_zero_point) + output_zero_point) to the output type's range. */
#ifndef KILN_KERNELS_REQUANTIZE_S32_H_
#define KILN_KERNELS_REQUANTIZE_S32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The output element type. */
typedef enum {
  KILN_REQUANTIZE_S32_TO_S8 = 0,
  KILN_REQUANTIZE_S32_TO_S16 = 1
} kiln_requantize_s32_output_t;

typedef struct {
  int32_t count; /* number of elements */
  int32_t input_zero_point;
  int32_t output_zero_point;
  /* input_scale / output_scale as a TFLite fixed-point multiplier. */
  int32_t multiplier;
  int32_t shift;
  kiln_requantize_s32_output_t output_type;
} kiln_requantize_s32_params_t;

/* input: int32; output: int8_t, int16_t as params->output_type says;
 * `count` elements, any shape. */
void kiln_requantize_s32(const kiln_requantize_s32_params_t* params, const int32_t* input,
                         void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_REQUANTIZE_S32_H_ */
