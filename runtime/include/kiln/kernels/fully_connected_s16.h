/* fully_connected_s16: 16x8 matrix-vector products (FULLY_CONNECTED with
 * int16 activations and int8 weights), bit-exact with TFLite's
 * reference_integer_ops::FullyConnected (per-tensor weights) and
 * FullyConnectedPerChannel (per-channel weights) for int16. */
#ifndef KILN_KERNELS_FULLY_CONNECTED_S16_H_
#define KILN_KERNELS_FULLY_CONNECTED_S16_H_

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
  /* -weights_zero_point (0 whenever the weights are per-channel). */
  int32_t filter_offset;
  /* Fused activation clamp. */
  int32_t act_min, act_max;
  /* KILN_S16X8_ACC32 or KILN_S16X8_ACC64 (kiln/s16x8.h): the bias's width. */
  int32_t accumulator;
  /* 1: output_multiplier/output_shift hold one value per output channel;
   * 0: one for all (per-tensor weights). */
  int32_t per_channel;
  const int32_t* output_multiplier;
  const int32_t* output_shift;
} kiln_fully_connected_s16_params_t;

/* input   [batches, accum_depth] int16 (any shape with that many elements)
 * weights [output_depth, accum_depth] int8
 * bias    [output_depth] int32 or int64 (as params->accumulator says), or NULL
 * output  [batches, output_depth] int16 */
void kiln_fully_connected_s16(const kiln_fully_connected_s16_params_t* params, const int16_t* input,
                              const int8_t* weights, const void* bias, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_FULLY_CONNECTED_S16_H_ */
