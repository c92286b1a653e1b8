/* dynamic_update_slice: DYNAMIC_UPDATE_SLICE for any element type, as
 * TFLite Micro: the output is the operand with `update` written at start
 * indices read at run time (int32 or int64), each clamped to
 * [0, operand_dim - update_dim] so that the update always fits. */
#ifndef KILN_KERNELS_DYNAMIC_UPDATE_SLICE_H_
#define KILN_KERNELS_DYNAMIC_UPDATE_SLICE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest rank (TFLite Micro's kMaxDimensions). */
#define KILN_DYNAMIC_UPDATE_SLICE_MAX_RANK 6

typedef struct {
  int32_t rank, element_size;
  /* 4: int32 start indices; 8: int64. */
  int32_t index_bytes;
  int32_t operand_dims[KILN_DYNAMIC_UPDATE_SLICE_MAX_RANK];
  int32_t update_dims[KILN_DYNAMIC_UPDATE_SLICE_MAX_RANK];
} kiln_dynamic_update_slice_params_t;

/* output may be operand itself (updated in place) or apart from it. */
void kiln_dynamic_update_slice(const kiln_dynamic_update_slice_params_t* params, const void* operand,
                               const void* update, const void* start_indices, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_DYNAMIC_UPDATE_SLICE_H_ */
