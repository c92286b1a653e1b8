/* maximum_f32: float32 MAXIMUM with numpy broadcasting and a fused activation
 * clamp, as TFLite's reference float kernel computes it. */
#ifndef KILN_KERNELS_MAXIMUM_F32_H_
#define KILN_KERNELS_MAXIMUM_F32_H_

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
} kiln_maximum_f32_params_t;

/* output = clamp(max(a, b)). a, b, output: float32, shapes as described by
 * params->shape; output has the broadcast shape. */
void kiln_maximum_f32(const kiln_maximum_f32_params_t* params, const float* a, const float* b,
                  float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MAXIMUM_F32_H_ */
