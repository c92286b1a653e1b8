/* squared_difference_s8: int8 (a - b)^2 requantized, the loop of kiln/add_sub.h. */
#include "kiln/kernels/squared_difference_s8.h"

void kiln_squared_difference_s8(const kiln_squared_difference_s8_params_t* params, const int8_t* a,
                                  const int8_t* b, int8_t* output) {
  KILN_ADD_SUB_ELEMENTS(params, a, b, output, int8_t, 0);
}
