/* resize_bilinear_f32: float32 RESIZE_BILINEAR, NHWC, bit-exact with
 * TFLite's reference_ops::ResizeBilinear. Each output row's (and column's)
 * two source rows and its fraction are computed at compile time with the
 * reference's float32 arithmetic. */
#ifndef KILN_KERNELS_RESIZE_BILINEAR_F32_H_
#define KILN_KERNELS_RESIZE_BILINEAR_F32_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, channels;
  int32_t output_h, output_w;
  /* [output_h]: the lower and upper source rows, and input_y - lower row. */
  const int32_t* row_lo;
  const int32_t* row_hi;
  const float* row_frac;
  /* [output_w]: the same for columns. */
  const int32_t* col_lo;
  const int32_t* col_hi;
  const float* col_frac;
} kiln_resize_bilinear_f32_params_t;

void kiln_resize_bilinear_f32(const kiln_resize_bilinear_f32_params_t* params, const float* input,
                              float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RESIZE_BILINEAR_F32_H_ */
