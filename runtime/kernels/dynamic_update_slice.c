/* dynamic_update_slice: see the header. */
#include "kiln/kernels/dynamic_update_slice.h"

#define MAX_RANK KILN_DYNAMIC_UPDATE_SLICE_MAX_RANK

void kiln_dynamic_update_slice(const kiln_dynamic_update_slice_params_t* params, const void* operand,
                               const void* update, const void* start_indices, void* output) {
  const int32_t rank = params->rank, size = params->element_size;
  const uint8_t* from = (const uint8_t*)update;
  uint8_t* out = (uint8_t*)output;
  int32_t stride[MAX_RANK], at[MAX_RANK];
  int64_t operand_bytes = size, update_elements = 1, start = 0, k;
  int32_t d, b;
  for (d = rank - 1; d >= 0; --d) {
    stride[d] = (int32_t)operand_bytes;
    operand_bytes *= params->operand_dims[d];
    update_elements *= params->update_dims[d];
  }
  /* A plain loop rather than memcpy: the runtime needs no libc. */
  if (output != operand)
    for (k = 0; k < operand_bytes; ++k) out[k] = ((const uint8_t*)operand)[k];
  if (update_elements == 0) return;
  for (d = 0; d < rank; ++d) {
    const int64_t index = params->index_bytes == 8 ? ((const int64_t*)start_indices)[d]
                                                   : ((const int32_t*)start_indices)[d];
    const int64_t last = params->operand_dims[d] - params->update_dims[d];
    start += (index < 0 ? 0 : index > last ? last : index) * stride[d];
    at[d] = 0;
  }
  /* The update's elements in order, an odometer over its dimensions. */
  for (k = 0; k < update_elements; ++k) {
    int64_t offset = start;
    for (d = 0; d < rank; ++d) offset += (int64_t)at[d] * stride[d];
    for (b = 0; b < size; ++b) out[offset + b] = *from++;
    for (d = rank - 1; d >= 0 && ++at[d] == params->update_dims[d]; --d) at[d] = 0;
  }
}
