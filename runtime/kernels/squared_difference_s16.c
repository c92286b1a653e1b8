/* squared_difference_s16: int16 (a - b)^2 requantized, the loop of kiln/add_sub.h. */
#include "kiln/kernels/squared_difference_s16.h"

void kiln_squared_difference_s16(const kiln_squared_difference_s16_params_t* params, const int16_t* a,
                                  const int16_t* b, int16_t* output) {
  KILN_ADD_SUB_ELEMENTS(params, a, b, output, int16_t, 0);
}
