/* The one body of the integer SVDF kernels (svdf_s8 with an int8 activation
 * state and time weights, svdf_s8_s16 with int16 ones): TFLite Micro's
 * EvalIntegerSvdfReference, whose template parameter T becomes `wide`, a
 * constant in each entry point. C99. */
#ifndef KILN_SVDF_INTEGER_H_
#define KILN_SVDF_INTEGER_H_

#include <stdint.h>

#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"

typedef struct {
  int32_t batches;     /* B */
  int32_t input_size;  /* In */
  int32_t num_filters; /* F = num_units * rank */
  int32_t num_units;
  int32_t rank;
  int32_t memory_size; /* T: time steps kept in the state */
  int32_t input_zero_point;
  int32_t state_zero_point;
  int32_t output_zero_point;
  /* input_scale * weights_feature_scale / state_scale, TFLite-encoded. */
  int32_t feature_multiplier;
  int32_t feature_shift;
  /* state_scale * weights_time_scale / output_scale, TFLite-encoded. */
  int32_t output_multiplier;
  int32_t output_shift;
} kiln_svdf_integer_params_t;

/* Element i of an int8 (`wide` 0) or int16 (`wide` 1) array. */
static KILN_ALWAYS_INLINE int32_t kiln_svdf_load(const void* array, int32_t i, const int wide) {
  return wide ? ((const int16_t*)array)[i] : ((const int8_t*)array)[i];
}

static KILN_ALWAYS_INLINE void kiln_svdf_store(void* array, int32_t i, int32_t value, const int wide) {
  if (wide)
    ((int16_t*)array)[i] = (int16_t)value;
  else
    ((int8_t*)array)[i] = (int8_t)value;
}

/* input [B,In]; weights_feature [F,In] int8; weights_time [F,T] and state
 * [B,F*T] of the state's type; bias [units] int32 or NULL; output [B,units]
 * int8; scratch_filters int32 [B,F]; scratch_units int32 [B,units]. */
static KILN_ALWAYS_INLINE void kiln_svdf_integer(const kiln_svdf_integer_params_t* params, const int8_t* input,
                                                 const int8_t* weights_feature, const void* weights_time,
                                                 const int32_t* bias, void* state, int8_t* output,
                                                 int32_t* scratch_filters, int32_t* scratch_units,
                                                 const int wide) {
  const int32_t batches = params->batches;
  const int32_t input_size = params->input_size;
  const int32_t filters = params->num_filters;
  const int32_t units = params->num_units;
  const int32_t rank = params->rank;
  const int32_t memory = params->memory_size;
  const int32_t state_zp = params->state_zero_point;
  const int32_t state_size = batches * filters * memory;
  const int32_t state_min = wide ? INT16_MIN : INT8_MIN;
  const int32_t state_max = wide ? INT16_MAX : INT8_MAX;
  int32_t b, f, u, r, t, k;

  /* Age the history: every element moves one slot left. The newest column
   * (t = memory - 1) of each filter is overwritten just below. */
  for (k = 0; k + 1 < state_size; ++k) kiln_svdf_store(state, k, kiln_svdf_load(state, k + 1, wide), wide);

  /* Feature matmul: the newest activation of each filter, requantized to the
   * state's scale. The zero point is added before the clamp, so the sum
   * saturates rather than wrapping. */
  for (b = 0; b < batches; ++b) {
    const int8_t* in = input + b * input_size;
    for (f = 0; f < filters; ++f) {
      const int8_t* w = weights_feature + f * input_size;
      int32_t acc = 0;
      for (k = 0; k < input_size; ++k) acc += w[k] * (in[k] - params->input_zero_point);
      acc = kiln_multiply_by_quantized_multiplier(acc, params->feature_multiplier, (int)params->feature_shift);
      acc = kiln_clamp_i32(acc + state_zp, state_min, state_max);
      kiln_svdf_store(state, (b * filters + f) * memory + memory - 1, acc, wide);
    }
  }

  /* Time: each filter's dot product of its history with its time weights. */
  for (b = 0; b < batches; ++b) {
    const int32_t history = b * filters * memory;
    for (f = 0; f < filters; ++f) {
      int32_t acc = 0;
      for (t = 0; t < memory; ++t)
        acc += kiln_svdf_load(weights_time, f * memory + t, wide) *
               (kiln_svdf_load(state, history + f * memory + t, wide) - state_zp);
      scratch_filters[b * filters + f] = acc;
    }
  }

  /* Bias, then each unit sums its `rank` filters. */
  for (b = 0; b < batches; ++b) {
    for (u = 0; u < units; ++u) {
      int32_t acc = bias ? bias[u] : 0;
      for (r = 0; r < rank; ++r) acc += scratch_filters[b * filters + u * rank + r];
      scratch_units[b * units + u] = acc;
    }
  }

  /* Requantize to the output. TFLite Micro applies no fused activation on
   * this path: the int8 range is the only clamp. */
  for (k = 0; k < batches * units; ++k) {
    const int32_t x = kiln_multiply_by_quantized_multiplier(scratch_units[k], params->output_multiplier,
                                                            (int)params->output_shift);
    output[k] = (int8_t)kiln_clamp_i32(x + params->output_zero_point, INT8_MIN, INT8_MAX);
  }
}

#endif /* KILN_SVDF_INTEGER_H_ */
