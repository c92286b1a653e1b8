/* conv2d_s8_im2col_tiled: int8 CONV_2D (one group), NHWC, as conv2d_s8_im2col
 * gathers it (a few output pixels' windows into scratch, taps outside the
 * image holding the input zero point), each call's windows multiplied by
 * gemm_s8_tiled (kiln/kernels/gemm_s8_tiled.h), whose tiling is data. The
 * "im2col_tiled" schedule, whose knobs `kiln tune --auto-schedule` searches
 * (docs/tuning.md): in the shape-specialised copy the gathering and the
 * tiled multiply are one function, the tiling a constant. Bit-exact with
 * TFLite's reference kernel. */
#ifndef KILN_KERNELS_CONV2D_S8_IM2COL_TILED_H_
#define KILN_KERNELS_CONV2D_S8_IM2COL_TILED_H_

#include <stdint.h>

#include "kiln/conv_window.h"
#include "kiln/kernels/gemm_s8_tiled.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_conv_window_t window;
  /* Output pixels gathered per multiply. */
  int32_t pixels_per_call;
  /* The multiply: depth filter_h * filter_w * input_c rounded up to a
   * multiple of 4 (the weights zero there), cols the output channels. */
  kiln_gemm_s8_tiled_params_t tiled;
} kiln_conv2d_s8_im2col_tiled_params_t;

/* The scratch: the gathered windows, each `depth` (padded) bytes, then the
 * tiled multiply's (KILN_GEMM_S8_TILED_SCRATCH_BYTES with widen_rows). */
#define KILN_IM2COL_TILED_PATCH_BYTES(pixels_per_call, depth) ((pixels_per_call) * (depth))

/* input [N, H, W, Ci] int8; output [N, OH, OW, Co] int8. */
void kiln_conv2d_s8_im2col_tiled(const kiln_conv2d_s8_im2col_tiled_params_t* params, const int8_t* input,
                                 int8_t* output, void* scratch);
void kiln_conv2d_s8_im2col_tiled_narrow(const kiln_conv2d_s8_im2col_tiled_params_t* params, const int8_t* input,
                                        int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CONV2D_S8_IM2COL_TILED_H_ */
