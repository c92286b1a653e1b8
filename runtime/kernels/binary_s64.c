/* binary_s64: see the header. */
#include "kiln/kernels/binary_s64.h"

int32_t kiln_binary_s64(const kiln_binary_s64_params_t* params, const int64_t* a, const int64_t* b, int64_t* output) {
  KILN_BINARY_INT_SIGNED_BODY(params, a, b, output, int64_t, uint64_t);
}
