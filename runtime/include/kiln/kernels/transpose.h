/* transpose: permutes a tensor's dimensions (TRANSPOSE). Element sizes 1, 2
 * and 4 bytes: int8, int16, int32, float32. */
#ifndef KILN_KERNELS_TRANSPOSE_H_
#define KILN_KERNELS_TRANSPOSE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Shapes are left-extended with 1s to this rank. */
#define KILN_TRANSPOSE_MAX_DIMS 6

typedef struct {
  /* Bytes per element: 1, 2 or 4. */
  int32_t element_size;
  /* Output shape, left-extended with 1s to KILN_TRANSPOSE_MAX_DIMS. */
  int32_t output_dims[KILN_TRANSPOSE_MAX_DIMS];
  /* For output axis a: the input's row-major stride (in elements) of input
   * axis perm[a]. */
  int32_t input_strides[KILN_TRANSPOSE_MAX_DIMS];
} kiln_transpose_params_t;

/* output[o0..o5] = input[sum(o_a * input_strides[a])]; both row-major; they
 * must not overlap. */
void kiln_transpose(const kiln_transpose_params_t* params, const void* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_TRANSPOSE_H_ */
