/* binary_s8: see the header. */
#include "kiln/kernels/binary_s8.h"

int32_t kiln_binary_s8(const kiln_binary_s8_params_t* params, const int8_t* a, const int8_t* b, int8_t* output) {
  KILN_BINARY_INT_SIGNED_BODY(params, a, b, output, int8_t, uint32_t);
}
