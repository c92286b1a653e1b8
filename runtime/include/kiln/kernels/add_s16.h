/* add_s16: quantized int16 ADD with numpy broadcasting and a fused
 * activation, bit-exact with TFLite's reference_ops::Add for int16
 * (the general-scale path, AddGeneralParamScale). */
#ifndef KILN_KERNELS_ADD_S16_H_
#define KILN_KERNELS_ADD_S16_H_

#include <stdint.h>

#include "kiln/add_sub.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_add_sub_params_t kiln_add_s16_params_t; /* kiln/add_sub.h */

/* output = a + b. a, b, output: int16, any shapes of rank <= 6 as described
 * by params->shape; output has the broadcast shape. */
void kiln_add_s16(const kiln_add_s16_params_t* params, const int16_t* a,
                  const int16_t* b, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ADD_S16_H_ */
