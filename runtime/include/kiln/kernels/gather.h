/* gather: GATHER for any element type, with int32 or int64 positions, as
 * TFLite Micro's gather.cc: slices of the input along `axis` picked by the
 * positions, batch_dims leading dimensions shared. Positions read at run
 * time are checked; one outside the axis stops the kernel with
 * KILN_ERROR_INDEX_OUT_OF_RANGE (kiln/runtime.h). */
#ifndef KILN_KERNELS_GATHER_H_
#define KILN_KERNELS_GATHER_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Products of the input's dimensions: before batch_dims, between it and
   * the axis, the axis itself, and after it (as bytes of one slice). */
  int32_t batch_size, outer_size, axis_size, slice_bytes;
  /* Positions per batch: the product of their dimensions from batch_dims. */
  int32_t coord_size;
  /* 4: int32 positions; 8: int64. */
  int32_t position_bytes;
  /* 1: a negative position counts from the end of the axis (ONNX's Gather);
   * 0: it is outside the axis (TFLite's). */
  int32_t negative_from_end;
} kiln_gather_params_t;

/* Returns 0 (KILN_OK), or KILN_ERROR_INDEX_OUT_OF_RANGE. */
int32_t kiln_gather(const kiln_gather_params_t* params, const void* input, const void* positions, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GATHER_H_ */
