/* resize_nearest: RESIZE_NEAREST_NEIGHBOR for any element type, NHWC. The
 * source row and column of every output pixel are computed at compile time
 * as TFLite's GetNearestNeighbor computes them (align_corners,
 * half_pixel_centers), so the kernel only copies pixels. */
#ifndef KILN_KERNELS_RESIZE_NEAREST_H_
#define KILN_KERNELS_RESIZE_NEAREST_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches;
  int32_t input_h, input_w;
  int32_t output_h, output_w;
  /* Bytes of one pixel: channels x element size. */
  int32_t pixel_bytes;
  /* [output_h] input row and [output_w] input column of each output. */
  const int32_t* source_row;
  const int32_t* source_col;
} kiln_resize_nearest_params_t;

/* input [batches, input_h, input_w, C], output [batches, output_h, output_w, C]. */
void kiln_resize_nearest(const kiln_resize_nearest_params_t* params, const void* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RESIZE_NEAREST_H_ */
