/* binary_u8: see the header. */
#include "kiln/kernels/binary_u8.h"

int32_t kiln_binary_u8(const kiln_binary_u8_params_t* params, const uint8_t* a, const uint8_t* b, uint8_t* output) {
  KILN_BINARY_INT_UNSIGNED_BODY(params, a, b, output, uint8_t, uint32_t);
}
