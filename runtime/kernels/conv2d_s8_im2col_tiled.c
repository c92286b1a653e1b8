/* conv2d_s8_im2col_tiled: see the header; the body is kiln/kernels/conv2d_s8_im2col_tiled_inline.h. */
#include "kiln/kernels/conv2d_s8_im2col_tiled_inline.h"

void kiln_conv2d_s8_im2col_tiled(const kiln_conv2d_s8_im2col_tiled_params_t* params, const int8_t* input,
                                 int8_t* output, void* scratch) {
  kiln_conv2d_s8_im2col_tiled_inline(params, input, output, scratch);
}

void kiln_conv2d_s8_im2col_tiled_narrow(const kiln_conv2d_s8_im2col_tiled_params_t* params, const int8_t* input,
                                        int8_t* output, void* scratch) {
  kiln_conv2d_s8_im2col_tiled_narrow_inline(params, input, output, scratch);
}
