/* gather_nd: one slice copied per index row, in TFLite Micro's order. */
#include "kiln/kernels/gather_nd.h"

#include "kiln/runtime.h"

int32_t kiln_gather_nd(const kiln_gather_nd_params_t* params, const void* input, const void* indices, void* output) {
  const int32_t depth = params->index_depth, slice = params->slice_bytes;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t s, j, i;
  for (s = 0; s < params->slices; ++s) {
    int64_t from = 0;
    const uint8_t* src;
    for (j = 0; j < depth; ++j) {
      const int32_t k = s * depth + j;
      const int64_t index =
          params->index_bytes == 8 ? ((const int64_t*)indices)[k] : ((const int32_t*)indices)[k];
      if (index < 0 || index >= params->dims[j]) return KILN_ERROR_INDEX_OUT_OF_RANGE;
      from += index * params->step_bytes[j];
    }
    src = in + from;
    /* A plain loop rather than memcpy: the runtime needs no libc. */
    for (i = 0; i < slice; ++i) *out++ = src[i];
  }
  return KILN_OK;
}
