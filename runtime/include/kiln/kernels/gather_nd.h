/* gather_nd: GATHER_ND for any element type, with int32 or int64 indices,
 * as TFLite Micro's gather_nd.cc: each row of `index_depth` indices picks
 * the slice of the input at those leading coordinates. An index outside its
 * dimension stops the kernel with KILN_ERROR_INDEX_OUT_OF_RANGE
 * (kiln/runtime.h). */
#ifndef KILN_KERNELS_GATHER_ND_H_
#define KILN_KERNELS_GATHER_ND_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most leading dimensions an index row may address. */
#define KILN_GATHER_ND_MAX_DEPTH 8

typedef struct {
  /* Index rows (the product of the indices' dimensions but the last), and
   * the bytes of the slice each picks. */
  int32_t slices, slice_bytes;
  /* Indices per row, and their size: 4 (int32) or 8 (int64). */
  int32_t index_depth, index_bytes;
  /* Per addressed dimension: its size, and the bytes one step along it. */
  int32_t dims[KILN_GATHER_ND_MAX_DEPTH];
  int32_t step_bytes[KILN_GATHER_ND_MAX_DEPTH];
} kiln_gather_nd_params_t;

/* Returns 0 (KILN_OK), or KILN_ERROR_INDEX_OUT_OF_RANGE. */
int32_t kiln_gather_nd(const kiln_gather_nd_params_t* params, const void* input, const void* indices, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GATHER_ND_H_ */
