/* select: SELECT_V2 (and SELECT), output = condition ? x : y elementwise,
 * the three broadcast numpy-style to the output, for any element size.
 * Shapes are normalised to 5 dimensions at compile time; a broadcast
 * dimension of an operand has step 0. */
#ifndef KILN_KERNELS_SELECT_H_
#define KILN_KERNELS_SELECT_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_SELECT_MAX_DIMS 5

typedef struct {
  int32_t element_size;
  /* The output's dimensions. */
  int32_t dims[KILN_SELECT_MAX_DIMS];
  /* Elements to advance per step along each dimension, per operand. */
  int32_t condition_step[KILN_SELECT_MAX_DIMS];
  int32_t x_step[KILN_SELECT_MAX_DIMS];
  int32_t y_step[KILN_SELECT_MAX_DIMS];
} kiln_select_params_t;

/* condition: bool (one byte, non-zero is true). */
void kiln_select(const kiln_select_params_t* params, const uint8_t* condition, const void* x, const void* y,
                 void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SELECT_H_ */
