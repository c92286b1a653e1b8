/* mean_f32: MEAN on float32 over any set of axes, as TFLite's reference
 * (per output, a float sum in row-major input order, divided by the count). */
#ifndef KILN_KERNELS_MEAN_F32_H_
#define KILN_KERNELS_MEAN_F32_H_

#include <stdint.h>

#include "kiln/reduce.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_MEAN_F32_MAX_DIMS KILN_REDUCE_MAX_DIMS

typedef struct {
  /* The input, row-major, as num_dims dimensions (the compiler may merge
   * neighbouring dimensions); 0 <= num_dims <= KILN_MEAN_F32_MAX_DIMS. */
  int32_t num_dims;
  int32_t input_dims[KILN_MEAN_F32_MAX_DIMS];
  /* Output element stride of each input dimension; 0 for reduced ones. */
  int32_t output_strides[KILN_MEAN_F32_MAX_DIMS];
  int32_t num_outputs;
  /* Input elements averaged into each output (> 0). */
  int32_t num_elements_in_axis;
} kiln_mean_f32_params_t;

/* input: float32, input_dims; output: [num_outputs] float32 (also the
 * accumulator, so it must not overlap the input). */
void kiln_mean_f32(const kiln_mean_f32_params_t* params, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MEAN_F32_H_ */
