/* axis_gather: see the header. */
#include "kiln/kernels/axis_gather.h"

/* The loop nest, written once; `size` is a constant at each call site so
 * the compiler specialises the element copy. */
static inline void gather(const kiln_axis_gather_params_t* p, const uint8_t* in, uint8_t* out, const int32_t size) {
  const int32_t* n = p->count;
  const int32_t* const* o = p->offset;
  int32_t i0, i1, i2, i3, i4, i5, b;
  for (i0 = 0; i0 < n[0]; ++i0)
    for (i1 = 0; i1 < n[1]; ++i1)
      for (i2 = 0; i2 < n[2]; ++i2)
        for (i3 = 0; i3 < n[3]; ++i3)
          for (i4 = 0; i4 < n[4]; ++i4) {
            const int32_t row = o[0][i0] + o[1][i1] + o[2][i2] + o[3][i3] + o[4][i4];
            for (i5 = 0; i5 < n[5]; ++i5) {
              const uint8_t* src = in + (row + o[5][i5]) * size;
              for (b = 0; b < size; ++b) out[b] = src[b];
              out += size;
            }
          }
}

void kiln_axis_gather(const kiln_axis_gather_params_t* params, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  switch (params->element_size) {
    case 1: gather(params, in, out, 1); break;
    case 2: gather(params, in, out, 2); break;
    default: gather(params, in, out, 4); break;
  }
}
