/* sub_s8: quantized int8 SUB with numpy broadcasting and a fused
 * activation, bit-exact with TFLite's reference_ops::Sub (int8). */
#ifndef KILN_KERNELS_SUB_S8_H_
#define KILN_KERNELS_SUB_S8_H_

#include <stdint.h>

#include "kiln/add_sub.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_add_sub_params_t kiln_sub_s8_params_t; /* kiln/add_sub.h */

/* output = a - b. a, b, output: int8, any shapes of rank <= 6 as described
 * by params->shape; output has the broadcast shape. */
void kiln_sub_s8(const kiln_sub_s8_params_t* params, const int8_t* a, const int8_t* b,
                 int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SUB_S8_H_ */
