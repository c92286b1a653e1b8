/* compare_s32: see the header. */
#include "kiln/kernels/compare_s32.h"

void kiln_compare_s32(const kiln_compare_s32_params_t* params, const int32_t* a, const int32_t* b, uint8_t* output) {
  KILN_COMPARE_SWITCH(params->op, &params->shape, a, b, output, KILN_COMPARE_AS_IS, KILN_COMPARE_AS_IS);
}
