/* gather_elements: ONNX's GatherElements for any element type, with int32 or
 * int64 indices: output[i] = input[i with its coordinate along `axis`
 * replaced by indices[i]], the output of the indices' shape. A negative index
 * counts from the end of the axis; one outside it stops the kernel with
 * KILN_ERROR_INDEX_OUT_OF_RANGE (kiln/runtime.h). */
#ifndef KILN_KERNELS_GATHER_ELEMENTS_H_
#define KILN_KERNELS_GATHER_ELEMENTS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The highest rank the kernel takes. */
#define KILN_GATHER_ELEMENTS_MAX_RANK 6

typedef struct {
  int32_t rank;
  /* The indices' (and output's) extents, left-padded with 1s to the rank. */
  int32_t dims[KILN_GATHER_ELEMENTS_MAX_RANK];
  /* The input's element strides; the axis's stride is input_strides[axis]. */
  int32_t input_strides[KILN_GATHER_ELEMENTS_MAX_RANK];
  int32_t axis;
  /* The input's extent along the axis. */
  int32_t axis_size;
  int32_t element_bytes;
  /* 4: int32 indices; 8: int64. */
  int32_t index_bytes;
  /* Number of output elements. */
  int32_t count;
} kiln_gather_elements_params_t;

/* Returns 0 (KILN_OK), or KILN_ERROR_INDEX_OUT_OF_RANGE. */
int32_t kiln_gather_elements(const kiln_gather_elements_params_t* params, const void* input, const void* indices,
                             void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GATHER_ELEMENTS_H_ */
