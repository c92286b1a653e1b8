/* mean_f32: float MEAN, TFLite's reference_ops::Mean summation order. */
#include "kiln/kernels/mean_f32.h"

#include "kiln/reduce.h"

void kiln_mean_f32(const kiln_mean_f32_params_t* params, const float* input, float* output) {
  int32_t i;
  float count;
  for (i = 0; i < params->num_outputs; ++i) output[i] = 0.0f;
  /* Each element added to its output, in row-major order. */
  KILN_REDUCE_WALK(params, out, k, output[out] += input[k]);
  count = (float)params->num_elements_in_axis;
  for (i = 0; i < params->num_outputs; ++i) output[i] = output[i] / count;
}
