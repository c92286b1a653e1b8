/* depthwise_conv2d_s8_planar_dsp: see the header; the body is kiln/kernels/depthwise_conv2d_s8_planar_dsp_inline.h. */
#include "kiln/kernels/depthwise_conv2d_s8_planar_dsp_inline.h"

void kiln_depthwise_conv2d_s8_planar_dsp(const kiln_depthwise_conv2d_s8_planar_dsp_params_t* params, const int8_t* input, int8_t* output,
                                         void* scratch) {
  kiln_depthwise_conv2d_s8_planar_dsp_inline(params, input, output, scratch);
}

void kiln_depthwise_conv2d_s8_planar_dsp_narrow(const kiln_depthwise_conv2d_s8_planar_dsp_params_t* params, const int8_t* input, int8_t* output,
                                                void* scratch) {
  kiln_depthwise_conv2d_s8_planar_dsp_narrow_inline(params, input, output, scratch);
}
