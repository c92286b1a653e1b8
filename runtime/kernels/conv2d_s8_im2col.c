/* conv2d_s8_im2col: see the header. */
#include "kiln/kernels/conv2d_s8_im2col.h"

#include "kiln/im2col_gather.h"

typedef kiln_conv2d_s8_im2col_params_t params_t;

void kiln_conv2d_s8_im2col(const params_t* params, const int8_t* input, int8_t* output,
                           void* scratch) {
  const int32_t depth = params->gemm_params.depth;
  const int32_t out_c = params->gemm_params.cols;
  const kiln_conv_window_t* const window = &params->window;
  const int32_t pixels = window->output_h * window->output_w;
  int8_t* patches = (int8_t*)scratch;
  void* const gemm_scratch = patches + KILN_IM2COL_PATCH_BYTES(params->pixels_per_call, depth);
  int32_t b, p;
  for (b = 0; b < window->batches; ++b) {
    const int8_t* in_batch = input + b * window->input_h * window->input_w * window->input_c;
    int32_t gathered = 0;
    for (p = 0; p < pixels; ++p) {
      kiln_im2col_gather_window(window, in_batch, p / window->output_w, p % window->output_w,
                    patches + gathered * depth);
      if (++gathered == params->pixels_per_call || p == pixels - 1) {
        params->gemm(&params->gemm_params, patches, gathered, output, gemm_scratch);
        output += gathered * out_c;
        gathered = 0;
      }
    }
  }
}
