/* avg_pool2d_f32: float AVERAGE_POOL_2D, TFLite's reference_ops::AveragePool. */
#include "kiln/kernels/avg_pool2d_f32.h"

void kiln_avg_pool2d_f32(const kiln_avg_pool2d_f32_params_t* params, const float* input,
                         float* output) {
  const int32_t depth = params->depth;
  int32_t b, oy, ox, c;
  for (b = 0; b < params->batches; ++b) {
    for (oy = 0; oy < params->output_height; ++oy) {
      const int32_t in_y_origin = oy * params->stride_height - params->padding_height;
      /* The window clipped to the input. */
      const int32_t fy_start = in_y_origin < 0 ? -in_y_origin : 0;
      const int32_t fy_end = params->input_height - in_y_origin < params->filter_height
                                 ? params->input_height - in_y_origin
                                 : params->filter_height;
      for (ox = 0; ox < params->output_width; ++ox) {
        const int32_t in_x_origin = ox * params->stride_width - params->padding_width;
        const int32_t fx_start = in_x_origin < 0 ? -in_x_origin : 0;
        const int32_t fx_end = params->input_width - in_x_origin < params->filter_width
                                   ? params->input_width - in_x_origin
                                   : params->filter_width;
        float* out = output + ((b * params->output_height + oy) * params->output_width + ox) *
                                  depth;
        for (c = 0; c < depth; ++c) {
          /* Summed in TFLite's order, the count kept as a float like TFLite. */
          float total = 0.0f;
          float count = 0.0f;
          float average;
          int32_t fy, fx;
          for (fy = fy_start; fy < fy_end; ++fy) {
            const int32_t in_y = in_y_origin + fy;
            for (fx = fx_start; fx < fx_end; ++fx) {
              const int32_t in_x = in_x_origin + fx;
              total += input[((b * params->input_height + in_y) * params->input_width + in_x) *
                                 depth +
                             c];
              count += 1.0f;
            }
          }
          average = count > 0.0f ? total / count : 0.0f;
          if (average < params->activation_min) average = params->activation_min;
          if (average > params->activation_max) average = params->activation_max;
          out[c] = average;
        }
      }
    }
  }
}
