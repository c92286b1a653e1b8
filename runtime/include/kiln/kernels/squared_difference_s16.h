/* squared_difference_s16: quantized int16 SQUARED_DIFFERENCE with numpy
 * broadcasting, TensorFlow Lite Micro's (the loop of kiln/add_sub.h); zero
 * points 0. */
#ifndef KILN_KERNELS_SQUARED_DIFFERENCE_S16_H_
#define KILN_KERNELS_SQUARED_DIFFERENCE_S16_H_

#include <stdint.h>

#include "kiln/add_sub.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_add_sub_params_t kiln_squared_difference_s16_params_t; /* kiln/add_sub.h */

void kiln_squared_difference_s16(const kiln_squared_difference_s16_params_t* params, const int16_t* a,
                                  const int16_t* b, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SQUARED_DIFFERENCE_S16_H_ */
