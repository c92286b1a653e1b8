/* pad: surrounds a tensor with a constant (PAD). Element sizes 1, 2 and 4
 * bytes: int8, int16, int32, float32. */
#ifndef KILN_KERNELS_PAD_H_
#define KILN_KERNELS_PAD_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Shapes are left-extended with 1s to this rank. */
#define KILN_PAD_MAX_DIMS 6

typedef struct {
  /* Bytes per element: 1, 2 or 4. */
  int32_t element_size;
  /* Input shape, left-extended with 1s to KILN_PAD_MAX_DIMS. */
  int32_t input_dims[KILN_PAD_MAX_DIMS];
  /* Output shape: input_dims + pad_before + padding after, per dimension. */
  int32_t output_dims[KILN_PAD_MAX_DIMS];
  /* Elements inserted before the input along each dimension (>= 0). */
  int32_t pad_before[KILN_PAD_MAX_DIMS];
  /* The pad value's bit pattern in the element type: an int8/int16/int32
   * value (sign-extended), or the IEEE-754 bits of a float. */
  int32_t fill_bits;
} kiln_pad_params_t;

/* input, output: row-major tensors of the given element size; they must not
 * overlap. */
void kiln_pad(const kiln_pad_params_t* params, const void* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_PAD_H_ */
