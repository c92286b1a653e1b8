/* sub_s16: int16 SUB, the algorithm of sub_s8 with a left shift of 15. */
#include "kiln/kernels/sub_s16.h"

void kiln_sub_s16(const kiln_sub_s16_params_t* params, const int16_t* a, const int16_t* b, int16_t* output) {
  KILN_ADD_SUB_ELEMENTS(params, a, b, output, int16_t, -1);
}
