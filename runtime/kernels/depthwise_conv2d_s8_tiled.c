/* depthwise_conv2d_s8_tiled: see the header; the body is kiln/kernels/depthwise_conv2d_s8_tiled_inline.h. */
#include "kiln/kernels/depthwise_conv2d_s8_tiled_inline.h"

void kiln_depthwise_conv2d_s8_tiled(const kiln_depthwise_conv2d_s8_tiled_params_t* params, const int8_t* input,
                                    int8_t* output, void* scratch) {
  kiln_depthwise_conv2d_s8_tiled_inline(params, input, output, scratch);
}

void kiln_depthwise_conv2d_s8_tiled_narrow(const kiln_depthwise_conv2d_s8_tiled_params_t* params,
                                           const int8_t* input, int8_t* output, void* scratch) {
  kiln_depthwise_conv2d_s8_tiled_narrow_inline(params, input, output, scratch);
}
