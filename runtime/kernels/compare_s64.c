/* compare_s64: see the header. */
#include "kiln/kernels/compare_s64.h"

void kiln_compare_s64(const kiln_compare_s64_params_t* params, const int64_t* a, const int64_t* b, uint8_t* output) {
  KILN_COMPARE_SWITCH(params->op, &params->shape, a, b, output, KILN_COMPARE_AS_IS, KILN_COMPARE_AS_IS);
}
