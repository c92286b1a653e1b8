/* depthwise_conv2d_s8_dsp: see the header; the body is kiln/kernels/depthwise_conv2d_s8_dsp_inline.h. */
#include "kiln/kernels/depthwise_conv2d_s8_dsp_inline.h"

void kiln_depthwise_conv2d_s8_dsp(const kiln_depthwise_conv2d_s8_dsp_params_t* params, const int8_t* input, int8_t* output) {
  kiln_depthwise_conv2d_s8_dsp_inline(params, input, output);
}

void kiln_depthwise_conv2d_s8_dsp_narrow(const kiln_depthwise_conv2d_s8_dsp_params_t* params, const int8_t* input, int8_t* output) {
  kiln_depthwise_conv2d_s8_dsp_narrow_inline(params, input, output);
}
