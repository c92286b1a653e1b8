/* l2_normalization_f32: L2_NORMALIZATION on float32: each vector along the
 * last axis divided by its L2 norm, the norm at least 1e-6 (TFLite Micro's
 * epsilon); TFLite's reference_ops::L2Normalization. */
#ifndef KILN_KERNELS_L2_NORMALIZATION_F32_H_
#define KILN_KERNELS_L2_NORMALIZATION_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Vectors, and the length of each (the last axis). */
  int32_t rows, depth;
} kiln_l2_normalization_f32_params_t;

/* input, output: [rows, depth] float32 (any leading shape). */
void kiln_l2_normalization_f32(const kiln_l2_normalization_f32_params_t* params, const float* input,
                               float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_L2_NORMALIZATION_F32_H_ */
