/* fully_connected_s8: int8 matrix-vector products (FULLY_CONNECTED),
 * bit-exact with TFLite's reference_integer_ops::FullyConnected (per-tensor
 * weights) and FullyConnectedPerChannel (per-channel weights). */
#ifndef KILN_KERNELS_FULLY_CONNECTED_S8_H_
#define KILN_KERNELS_FULLY_CONNECTED_S8_H_

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
  /* -input_zero_point. */
  int32_t input_offset;
  /* -weights_zero_point (0 whenever the weights are per-channel). */
  int32_t filter_offset;
  /* output_zero_point. */
  int32_t output_offset;
  /* Fused activation clamp, in the output's quantized domain. */
  int32_t act_min, act_max;
  /* 0: TFLite's requantization (bit-exact with its reference kernels);
   * 1: ONNX's, one rounding half to even (kiln_multiply_round_half_even). */
  int32_t round_half_even;
  /* Per-tensor requantization (used when output_multipliers is NULL). */
  int32_t output_multiplier;
  int32_t output_shift;
  /* [output_depth] per-channel multipliers and shifts, or NULL. */
  const int32_t* output_multipliers;
  const int32_t* output_shifts;
} kiln_fully_connected_s8_params_t;

/* input   [batches, accum_depth] int8 (any shape with that many elements)
 * weights [output_depth, accum_depth] int8
 * bias    [output_depth] int32, or NULL
 * output  [batches, output_depth] int8 */
void kiln_fully_connected_s8(const kiln_fully_connected_s8_params_t* params, const int8_t* input,
                             const int8_t* weights, const int32_t* bias, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_FULLY_CONNECTED_S8_H_ */
