/* pool2d_s8_dsp: see the header; the body is kiln/kernels/pool2d_s8_dsp_inline.h. */
#include "kiln/kernels/pool2d_s8_dsp_inline.h"

void kiln_max_pool2d_s8_dsp(const kiln_pool2d_s8_dsp_params_t* params, const int8_t* input, int8_t* output) {
  kiln_max_pool2d_s8_dsp_inline(params, input, output);
}

void kiln_avg_pool2d_s8_dsp(const kiln_pool2d_s8_dsp_params_t* params, const int8_t* input, int8_t* output) {
  kiln_avg_pool2d_s8_dsp_inline(params, input, output);
}
