/* gather: one slice copied per position, in TFLite Micro's order. */
#include "kiln/kernels/gather.h"

#include "kiln/runtime.h"

int32_t kiln_gather(const kiln_gather_params_t* params, const void* input, const void* positions, void* output) {
  const int32_t slice = params->slice_bytes;
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t batch, outer, coord, i;
  for (batch = 0; batch < params->batch_size; ++batch) {
    for (outer = 0; outer < params->outer_size; ++outer) {
      for (coord = 0; coord < params->coord_size; ++coord) {
        const int32_t k = batch * params->coord_size + coord;
        int64_t position =
            params->position_bytes == 8 ? ((const int64_t*)positions)[k] : ((const int32_t*)positions)[k];
        const uint8_t* src;
        if (position < 0 && params->negative_from_end) position += params->axis_size;
        if (position < 0 || position >= params->axis_size) return KILN_ERROR_INDEX_OUT_OF_RANGE;
        src = in + (((int64_t)batch * params->outer_size + outer) * params->axis_size + position) * slice;
        /* A plain loop rather than memcpy: the runtime needs no libc. */
        for (i = 0; i < slice; ++i) *out++ = src[i];
      }
    }
  }
  return KILN_OK;
}
