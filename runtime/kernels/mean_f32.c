/* mean_f32: float MEAN, TFLite's reference_ops::Mean summation order. */
#include "kiln/kernels/mean_f32.h"

void kiln_mean_f32(const kiln_mean_f32_params_t* params, const float* input, float* output) {
  int32_t index[KILN_MEAN_F32_MAX_DIMS];
  int32_t total = 1;
  int32_t out_offset = 0;
  int32_t i;
  int32_t d;
  float count;
  for (d = 0; d < params->num_dims; ++d) {
    index[d] = 0;
    total *= params->input_dims[d];
  }
  for (i = 0; i < params->num_outputs; ++i) output[i] = 0.0f;

  /* Walk the input in row-major order, adding each element to its output. */
  for (i = 0; i < total; ++i) {
    output[out_offset] += input[i];
    for (d = params->num_dims - 1; d >= 0; --d) {
      ++index[d];
      out_offset += params->output_strides[d];
      if (index[d] < params->input_dims[d]) break;
      out_offset -= params->output_strides[d] * params->input_dims[d];
      index[d] = 0;
    }
  }

  count = (float)params->num_elements_in_axis;
  for (i = 0; i < params->num_outputs; ++i) output[i] = output[i] / count;
}
