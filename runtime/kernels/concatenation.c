/* concatenation: the byte-moving kernel behind CONCATENATION. */
#include "kiln/kernels/concatenation.h"

void kiln_concatenation(const kiln_concatenation_params_t* params, const void* const* inputs,
                        void* output) {
  uint8_t* out = (uint8_t*)output;
  int32_t outer;
  int32_t i;
  int32_t b;
  /* Row-major: for each position before the axis, the inputs' slices follow
   * one another in input order. */
  for (outer = 0; outer < params->outer_size; ++outer) {
    for (i = 0; i < params->num_inputs; ++i) {
      const int32_t bytes = params->slice_bytes[i];
      const uint8_t* in = (const uint8_t*)inputs[i] + outer * bytes;
      for (b = 0; b < bytes; ++b) out[b] = in[b];
      out += bytes;
    }
  }
}
