/* conv2d_s8_direct_dsp: see the header; the body is kiln/kernels/conv2d_s8_direct_dsp_inline.h. */
#include "kiln/kernels/conv2d_s8_direct_dsp_inline.h"

void kiln_conv2d_s8_direct_dsp(const kiln_conv2d_s8_direct_params_t* params, const int8_t* input, int8_t* output, void* scratch) {
  kiln_conv2d_s8_direct_dsp_inline(params, input, output, scratch);
}

void kiln_conv2d_s8_direct_dsp_narrow(const kiln_conv2d_s8_direct_params_t* params, const int8_t* input, int8_t* output,
                                      void* scratch) {
  kiln_conv2d_s8_direct_dsp_narrow_inline(params, input, output, scratch);
}
