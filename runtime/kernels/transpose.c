/* transpose: the gather behind TRANSPOSE. */
#include "kiln/kernels/transpose.h"

/* The loop nest, written once; `size` is a constant at each call site so
 * the compiler specialises the element copy. */
static inline void permute(const kiln_transpose_params_t* p, const uint8_t* in, uint8_t* out,
                           const int32_t size) {
  const int32_t* n = p->output_dims;
  const int32_t* s = p->input_strides;
  int32_t i0, i1, i2, i3, i4, i5, b;
  for (i0 = 0; i0 < n[0]; ++i0) {
    for (i1 = 0; i1 < n[1]; ++i1) {
      for (i2 = 0; i2 < n[2]; ++i2) {
        for (i3 = 0; i3 < n[3]; ++i3) {
          for (i4 = 0; i4 < n[4]; ++i4) {
            int32_t index = i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4];
            for (i5 = 0; i5 < n[5]; ++i5) {
              const uint8_t* src = in + index * size;
              for (b = 0; b < size; ++b) out[b] = src[b];
              out += size;
              index += s[5];
            }
          }
        }
      }
    }
  }
}

void kiln_transpose(const kiln_transpose_params_t* params, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  switch (params->element_size) {
    case 1: permute(params, in, out, 1); break;
    case 2: permute(params, in, out, 2); break;
    case 4: permute(params, in, out, 4); break;
    default: permute(params, in, out, params->element_size); break;
  }
}
