/* gather_elements: the output walked in row-major order, the input offset of
 * every coordinate but the axis's kept up to date as it goes. */
#include "kiln/kernels/gather_elements.h"

#include "kiln/runtime.h"

int32_t kiln_gather_elements(const kiln_gather_elements_params_t* params, const void* input, const void* indices,
                             void* output) {
  const int32_t rank = params->rank, axis = params->axis, bytes = params->element_bytes;
  const int32_t axis_stride = params->input_strides[axis];
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t index[KILN_GATHER_ELEMENTS_MAX_RANK];
  int64_t base = 0; /* the input offset of the coordinates other than the axis's */
  int32_t i, d, b;
  for (d = 0; d < rank; ++d) index[d] = 0;
  for (i = 0; i < params->count; ++i) {
    int64_t position = params->index_bytes == 8 ? ((const int64_t*)indices)[i] : ((const int32_t*)indices)[i];
    const uint8_t* src;
    if (position < 0) position += params->axis_size;
    if (position < 0 || position >= params->axis_size) return KILN_ERROR_INDEX_OUT_OF_RANGE;
    src = in + (base + position * axis_stride) * bytes;
    /* A plain loop rather than memcpy: the runtime needs no libc. */
    for (b = 0; b < bytes; ++b) *out++ = src[b];
    for (d = rank - 1; d >= 0; --d) {
      if (d != axis) base += params->input_strides[d];
      if (++index[d] < params->dims[d]) break;
      if (d != axis) base -= (int64_t)params->input_strides[d] * params->dims[d];
      index[d] = 0;
    }
  }
  return KILN_OK;
}
