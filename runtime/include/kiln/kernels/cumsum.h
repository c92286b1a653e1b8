/* cumsum: CUMSUM on float32 and int8: running sums along one axis (the
 * walk of kiln/cumsum.h). TFLite's
 * reference_ops::CumSum; the int8 one bit-exact, with TFLite Micro's
 * rescaling (each input shifted left by left_shift and scaled by
 * input_multiplier into the accumulator, the accumulator scaled by
 * output_multiplier into the output), and its quirk: the accumulator starts
 * at the scaled input offset, not at 0. */
#ifndef KILN_KERNELS_CUMSUM_H_
#define KILN_KERNELS_CUMSUM_H_

#include <stdint.h>

#include "kiln/cumsum.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_cumsum_shape_t shape;
} kiln_cumsum_f32_params_t;

typedef struct {
  kiln_cumsum_shape_t shape;
  /* -input zero point; the shift and multiplier into the accumulator. */
  int32_t input_offset, left_shift;
  int32_t input_multiplier, input_shift;
  /* The accumulator into the output: multiplier, shift (<= 0), zero point. */
  int32_t output_multiplier, output_shift, output_offset;
  int32_t act_min, act_max;
} kiln_cumsum_s8_params_t;

/* input, output: the same shape, [outer, depth, inner] in memory. */
void kiln_cumsum_f32(const kiln_cumsum_f32_params_t* params, const float* input, float* output);
void kiln_cumsum_s8(const kiln_cumsum_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CUMSUM_H_ */
