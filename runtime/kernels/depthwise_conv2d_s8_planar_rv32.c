/* depthwise_conv2d_s8_planar_rv32: see the header; the body is kiln/kernels/depthwise_conv2d_s8_planar_rv32_inline.h. */
#include "kiln/kernels/depthwise_conv2d_s8_planar_rv32_inline.h"

void kiln_depthwise_conv2d_s8_planar_rv32(const kiln_depthwise_conv2d_s8_planar_rv32_params_t* params, const int8_t* input, int8_t* output,
                                          void* scratch) {
  kiln_depthwise_conv2d_s8_planar_rv32_inline(params, input, output, scratch);
}

void kiln_depthwise_conv2d_s8_planar_rv32_narrow(const kiln_depthwise_conv2d_s8_planar_rv32_params_t* params, const int8_t* input, int8_t* output,
                                                 void* scratch) {
  kiln_depthwise_conv2d_s8_planar_rv32_narrow_inline(params, input, output, scratch);
}
