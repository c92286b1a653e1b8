/* conv2d_s8_im2col: int8 CONV_2D (one group), NHWC, as a matrix multiply:
 * the windows of a few output pixels are gathered into planner-sized scratch
 * (padded taps hold the input zero point), then a gemm schedule (kiln/gemm.h)
 * computes every output channel of them. Bit-exact with TFLite's reference
 * kernel. */
#ifndef KILN_KERNELS_CONV2D_S8_IM2COL_H_
#define KILN_KERNELS_CONV2D_S8_IM2COL_H_

#include <stdint.h>

#include "kiln/conv_window.h"
#include "kiln/gemm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_conv_window_t window;
  /* Output pixels gathered per gemm call; the scratch holds this many
   * windows of filter_h * filter_w * input_c bytes. */
  int32_t pixels_per_call;
  kiln_gemm_s8_fn gemm;
  /* depth = filter_h * filter_w * input_c, cols = output channels. */
  kiln_gemm_s8_params_t gemm_params;
} kiln_conv2d_s8_im2col_params_t;

/* The gathered windows' part of the scratch, rounded up to 4 bytes; the
 * gemm schedule's scratch follows it. */
#define KILN_IM2COL_PATCH_BYTES(pixels_per_call, depth) (((pixels_per_call) * (depth) + 3) / 4 * 4)

/* input [N, H, W, Ci] int8; output [N, OH, OW, Co] int8; scratch
 * KILN_IM2COL_PATCH_BYTES plus the gemm schedule's scratch. */
void kiln_conv2d_s8_im2col(const kiln_conv2d_s8_im2col_params_t* params, const int8_t* input,
                           int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CONV2D_S8_IM2COL_H_ */
