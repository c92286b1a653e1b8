/* fully_connected_f32: float matrix-vector products (FULLY_CONNECTED), with
 * the accumulation order of TFLite's reference_ops::FullyConnected. */
#ifndef KILN_KERNELS_FULLY_CONNECTED_F32_H_
#define KILN_KERNELS_FULLY_CONNECTED_F32_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time parameters. */
typedef struct {
  /* Rows of the flattened input: input elements / accum_depth. */
  int32_t batches;
  /* K: the input row length, the weights' row length. */
  int32_t accum_depth;
  /* O: output values per row, the weights' row count. */
  int32_t output_depth;
  /* Fused activation clamp (+-FLT_MAX when none). */
  float act_min, act_max;
} kiln_fully_connected_f32_params_t;

/* input   [batches, accum_depth] float (any shape with that many elements)
 * weights [output_depth, accum_depth] float
 * bias    [output_depth] float, or NULL
 * output  [batches, output_depth] float */
void kiln_fully_connected_f32(const kiln_fully_connected_f32_params_t* params, const float* input,
                              const float* weights, const float* bias, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_FULLY_CONNECTED_F32_H_ */
