/* binary_s32: see the header. */
#include "kiln/kernels/binary_s32.h"

int32_t kiln_binary_s32(const kiln_binary_s32_params_t* params, const int32_t* a, const int32_t* b, int32_t* output) {
  KILN_BINARY_INT_SIGNED_BODY(params, a, b, output, int32_t, uint32_t);
}
