/* sub_s8: int8 SUB. The same rescaling as add_s8 (TFLite shares it), with
 * the rescaled inputs subtracted instead of added. */
#include "kiln/kernels/sub_s8.h"

void kiln_sub_s8(const kiln_sub_s8_params_t* params, const int8_t* a, const int8_t* b, int8_t* output) {
  KILN_ADD_SUB_ELEMENTS(params, a, b, output, int8_t, -1);
}
