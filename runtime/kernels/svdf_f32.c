/* svdf_f32: float SVDF, accumulating in the same order as TFLite Micro's
 * reference so results agree to rounding. */
#include "kiln/kernels/svdf_f32.h"

void kiln_svdf_f32(const kiln_svdf_f32_params_t* params, const float* input,
                   const float* weights_feature, const float* weights_time, const float* bias,
                   float* state, float* output, float* scratch) {
  const int32_t batches = params->batches;
  const int32_t input_size = params->input_size;
  const int32_t filters = params->num_filters;
  const int32_t units = params->num_units;
  const int32_t rank = params->rank;
  const int32_t memory = params->memory_size;
  const int32_t state_size = batches * filters * memory;
  int32_t b, f, u, r, t, k;

  /* Age the history by one slot; the newest column is overwritten below. */
  for (k = 0; k + 1 < state_size; ++k) state[k] = state[k + 1];

  /* Feature matmul into the newest column of each filter's history. */
  for (b = 0; b < batches; ++b) {
    const float* in = input + b * input_size;
    for (f = 0; f < filters; ++f) {
      const float* w = weights_feature + f * input_size;
      float acc = 0.0f;
      for (k = 0; k < input_size; ++k) acc += w[k] * in[k];
      state[(b * filters + f) * memory + memory - 1] = acc;
    }
  }

  /* Time: each filter's history against its time weights. */
  for (b = 0; b < batches; ++b) {
    const float* history = state + b * filters * memory;
    for (f = 0; f < filters; ++f) {
      float acc = 0.0f;
      for (t = 0; t < memory; ++t) acc += weights_time[f * memory + t] * history[f * memory + t];
      scratch[b * filters + f] = acc;
    }
  }

  /* Bias, rank reduction, activation. */
  for (b = 0; b < batches; ++b) {
    for (u = 0; u < units; ++u) {
      float acc = bias ? bias[u] : 0.0f;
      for (r = 0; r < rank; ++r) acc += scratch[b * filters + u * rank + r];
      if (acc < params->activation_min) acc = params->activation_min;
      if (acc > params->activation_max) acc = params->activation_max;
      output[b * units + u] = acc;
    }
  }
}
