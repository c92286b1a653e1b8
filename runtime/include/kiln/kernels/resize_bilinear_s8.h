/* resize_bilinear_s8: int8 RESIZE_BILINEAR, NHWC, bit-exact with TFLite's
 * reference_ops::ResizeBilinearInteger. Each output row's (and column's)
 * two source rows and its weight in 1/1024 are computed at compile time. */
#ifndef KILN_KERNELS_RESIZE_BILINEAR_S8_H_
#define KILN_KERNELS_RESIZE_BILINEAR_S8_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, channels;
  int32_t output_h, output_w;
  /* [output_h]: the lower and upper source rows, and the upper one's
   * weight in 1/1024 (the lower's is 1024 minus it; it may fall outside
   * 0..1024 at a border with half_pixel_centers, as in TFLite). */
  const int32_t* row_lo;
  const int32_t* row_hi;
  const int32_t* row_weight;
  /* [output_w]: the same for columns. */
  const int32_t* col_lo;
  const int32_t* col_hi;
  const int32_t* col_weight;
} kiln_resize_bilinear_s8_params_t;

void kiln_resize_bilinear_s8(const kiln_resize_bilinear_s8_params_t* params, const int8_t* input,
                             int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RESIZE_BILINEAR_S8_H_ */
