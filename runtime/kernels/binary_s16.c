/* binary_s16: see the header. */
#include "kiln/kernels/binary_s16.h"

int32_t kiln_binary_s16(const kiln_binary_s16_params_t* params, const int16_t* a, const int16_t* b, int16_t* output) {
  KILN_BINARY_INT_SIGNED_BODY(params, a, b, output, int16_t, uint32_t);
}
