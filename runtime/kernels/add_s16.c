/* add_s16: int16 ADD, the int8 algorithm of add_s8 with a left shift of 15:
 * (65535 << 15) still fits the int32 accumulator. */
#include "kiln/kernels/add_s16.h"

void kiln_add_s16(const kiln_add_s16_params_t* params, const int16_t* a, const int16_t* b, int16_t* output) {
  KILN_ADD_SUB_ELEMENTS(params, a, b, output, int16_t, 1);
}
