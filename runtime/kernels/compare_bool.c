/* compare_bool: see the header. */
#include "kiln/kernels/compare_bool.h"

void kiln_compare_bool(const kiln_compare_bool_params_t* params, const uint8_t* a, const uint8_t* b, uint8_t* output) {
  KILN_COMPARE_SWITCH(params->op, &params->shape, a, b, output, KILN_COMPARE_AS_IS, KILN_COMPARE_AS_IS);
}
