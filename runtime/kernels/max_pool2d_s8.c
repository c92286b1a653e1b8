/* max_pool2d_s8: int8 MAX_POOL_2D, TFLite's reference_integer_ops::MaxPool. */
#include "kiln/kernels/max_pool2d_s8.h"

#include "kiln/fixedpoint.h"

void kiln_max_pool2d_s8(const kiln_max_pool2d_s8_params_t* params, const int8_t* input,
                        int8_t* output) {
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
        int8_t* out = output + ((b * params->output_height + oy) * params->output_width + ox) *
                                   depth;
        for (c = 0; c < depth; ++c) {
          int32_t max = -128;
          int32_t fy, fx;
          for (fy = fy_start; fy < fy_end; ++fy) {
            const int32_t in_y = in_y_origin + fy;
            for (fx = fx_start; fx < fx_end; ++fx) {
              const int32_t in_x = in_x_origin + fx;
              const int32_t v =
                  input[((b * params->input_height + in_y) * params->input_width + in_x) * depth +
                        c];
              if (v > max) max = v;
            }
          }
          out[c] = (int8_t)kiln_clamp_i32(max, params->activation_min, params->activation_max);
        }
      }
    }
  }
}
