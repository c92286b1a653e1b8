/* strided_slice: numpy-style strided slice (STRIDED_SLICE), with begin,
 * end, strides and every mask resolved at compile time into a start offset
 * and, per axis, an element count and an input step. Element sizes 1, 2
 * and 4 bytes: int8, int16, int32, float32. */
#ifndef KILN_KERNELS_STRIDED_SLICE_H_
#define KILN_KERNELS_STRIDED_SLICE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Slices are normalised to this many axes (leading axes of count 1). */
#define KILN_STRIDED_SLICE_MAX_DIMS 5

typedef struct {
  /* Bytes per element: 1, 2 or 4. */
  int32_t element_size;
  /* Input element index of the first output element. */
  int32_t start;
  /* Output elements along each axis (shrunk axes count 1). */
  int32_t count[KILN_STRIDED_SLICE_MAX_DIMS];
  /* Input elements to advance per step along each axis: the slice stride
   * times the input's row-major stride for that axis; may be negative. */
  int32_t step[KILN_STRIDED_SLICE_MAX_DIMS];
} kiln_strided_slice_params_t;

/* input: row-major tensor; output: row-major slice, written in order. They
 * must not overlap. */
void kiln_strided_slice(const kiln_strided_slice_params_t* params, const void* input,
                        void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_STRIDED_SLICE_H_ */
