/* squared_difference_s8: quantized int8 SQUARED_DIFFERENCE with numpy
 * broadcasting, TensorFlow Lite Micro's (the loop of kiln/add_sub.h). */
#ifndef KILN_KERNELS_SQUARED_DIFFERENCE_S8_H_
#define KILN_KERNELS_SQUARED_DIFFERENCE_S8_H_

#include <stdint.h>

#include "kiln/add_sub.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_add_sub_params_t kiln_squared_difference_s8_params_t; /* kiln/add_sub.h */

void kiln_squared_difference_s8(const kiln_squared_difference_s8_params_t* params, const int8_t* a,
                                  const int8_t* b, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SQUARED_DIFFERENCE_S8_H_ */
