/* minimum_f32: float32 MINIMUM with numpy broadcasting and a fused activation
 * clamp, as TFLite's reference float kernel computes it. */
#ifndef KILN_KERNELS_MINIMUM_F32_H_
#define KILN_KERNELS_MINIMUM_F32_H_

#include <stdint.h>

#include "kiln/broadcast.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_broadcast_t shape;
  /* Fused activation range (-FLT_MAX, FLT_MAX for none). */
  float activation_min;
  float activation_max;
} kiln_minimum_f32_params_t;

/* output = clamp(min(a, b)). a, b, output: float32, shapes as described by
 * params->shape; output has the broadcast shape. */
void kiln_minimum_f32(const kiln_minimum_f32_params_t* params, const float* a, const float* b,
                  float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MINIMUM_F32_H_ */
