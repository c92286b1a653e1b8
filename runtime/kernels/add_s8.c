/* add_s8: int8 ADD. Each input is offset, shifted left by 20 bits, rescaled
 * onto twice the larger input scale, summed, and requantized to the output,
 * in TFLite's exact order of roundings. */
#include "kiln/kernels/add_s8.h"

void kiln_add_s8(const kiln_add_s8_params_t* params, const int8_t* a, const int8_t* b, int8_t* output) {
  KILN_ADD_SUB_ELEMENTS(params, a, b, output, int8_t, 1);
}
