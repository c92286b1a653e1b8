/* compare_f32: see the header. */
#include "kiln/kernels/compare_f32.h"

void kiln_compare_f32(const kiln_compare_f32_params_t* params, const float* a, const float* b, uint8_t* output) {
  KILN_COMPARE_SWITCH(params->op, &params->shape, a, b, output, KILN_COMPARE_AS_IS, KILN_COMPARE_AS_IS);
}
