/* conv2d_s8_im2col_tiled: see the header. Its body, every function inline:
 * the runtime's entry points (kernels/conv2d_s8_im2col_tiled.c) and the
 * shape-specialised copies of generated code (docs/schedules.md) are both
 * made of it. */
#ifndef KILN_KERNELS_CONV2D_S8_IM2COL_TILED_INLINE_H_
#define KILN_KERNELS_CONV2D_S8_IM2COL_TILED_INLINE_H_
#include "kiln/kernels/conv2d_s8_im2col_tiled.h"

#include "kiln/im2col_gather.h"
#include "kiln/kernels/gemm_s8_tiled_inline.h"

static KILN_ALWAYS_INLINE void kiln_im2col_tiled(const kiln_conv2d_s8_im2col_tiled_params_t* params,
                                                 const int8_t* input, int8_t* output, void* scratch,
                                                 const int narrow) {
  /* A local copy: the int8 stores may alias anything. */
  const kiln_conv2d_s8_im2col_tiled_params_t p = *params;
  const kiln_conv_window_t* const window = &p.window;
  const int32_t depth = p.tiled.gemm.depth;
  const int32_t window_bytes = window->filter_h * window->filter_w * window->input_c;
  const int32_t out_c = p.tiled.gemm.cols;
  const int32_t pixels = window->output_h * window->output_w;
  int8_t* const patches = (int8_t*)scratch;
  void* const gemm_scratch = patches + KILN_IM2COL_TILED_PATCH_BYTES(p.pixels_per_call, depth);
  int32_t b, px, i;
  for (b = 0; b < window->batches; ++b) {
    const int8_t* in_batch = input + b * window->input_h * window->input_w * window->input_c;
    int32_t gathered = 0;
    for (px = 0; px < pixels; ++px) {
      int8_t* const patch = patches + gathered * depth;
      kiln_im2col_gather_window(window, in_batch, px / window->output_w, px % window->output_w, patch);
      /* The padding to whole words meets zero weights: any value would do,
       * zeros keep the scratch defined. */
      for (i = window_bytes; i < depth; ++i) patch[i] = 0;
      if (++gathered == p.pixels_per_call || px == pixels - 1) {
        kiln_gemm_tiled(&p.tiled, patches, gathered, output, gemm_scratch, narrow);
        output += gathered * out_c;
        gathered = 0;
      }
    }
  }
}

/* The entry points' bodies (kiln/kernels/conv2d_s8_im2col_tiled.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_conv2d_s8_im2col_tiled_inline(const kiln_conv2d_s8_im2col_tiled_params_t* params,
                                                                  const int8_t* input, int8_t* output, void* scratch) {
  kiln_im2col_tiled(params, input, output, scratch, 0);
}

static KILN_ALWAYS_INLINE void kiln_conv2d_s8_im2col_tiled_narrow_inline(
    const kiln_conv2d_s8_im2col_tiled_params_t* params, const int8_t* input, int8_t* output, void* scratch) {
  kiln_im2col_tiled(params, input, output, scratch, 1);
}

#endif /* KILN_KERNELS_CONV2D_S8_IM2COL_TILED_INLINE_H_ */
