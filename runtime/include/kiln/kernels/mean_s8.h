/* mean_s8: MEAN on int8 over any set of axes, bit-exact with TFLite Micro,
 * which has three integer paths (reduce_common.cc EvalMeanHelper); the
 * compiler picks the one TFLite Micro would and sets `method`. */
#ifndef KILN_KERNELS_MEAN_S8_H_
#define KILN_KERNELS_MEAN_S8_H_

#include <stdint.h>

#include "kiln/reduce.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_MEAN_S8_MAX_DIMS KILN_REDUCE_MAX_DIMS

/* Equal input and output quantization: the raw sum divided by the count,
 * truncating toward zero (reference_ops::Mean). */
#define KILN_MEAN_S8_TRUNCATE 0
/* The zero-point-corrected sum requantized with 1/count folded into the
 * multiplier (reference_ops::QuantizedMeanOrSum). */
#define KILN_MEAN_S8_REQUANTIZE 1
/* A 4-D input over axes (1, 2) with keep_dims, whatever the quantization:
 * the zero-point-corrected sum requantized, then divided by the count
 * rounding half away from zero (reference_integer_ops::Mean). */
#define KILN_MEAN_S8_ROUNDED_SPATIAL 2

typedef struct {
  /* The input, row-major, as num_dims dimensions (the compiler may merge
   * neighbouring dimensions); 0 <= num_dims <= KILN_MEAN_S8_MAX_DIMS. */
  int32_t num_dims;
  int32_t input_dims[KILN_MEAN_S8_MAX_DIMS];
  /* Output element stride of each input dimension; 0 for reduced ones. */
  int32_t output_strides[KILN_MEAN_S8_MAX_DIMS];
  int32_t num_outputs;
  /* Input elements averaged into each output (> 0). */
  int32_t num_elements_in_axis;
  /* One of KILN_MEAN_S8_*. */
  int32_t method;
  int32_t input_zero_point;
  int32_t output_zero_point;
  /* KILN_MEAN_S8_REQUANTIZE: input_scale / output_scale / num_elements_in_axis;
   * KILN_MEAN_S8_ROUNDED_SPATIAL: input_scale / output_scale. */
  int32_t output_multiplier;
  int32_t output_shift;
} kiln_mean_s8_params_t;

/* input: int8, input_dims; output: [num_outputs] int8;
 * scratch: num_outputs int32 accumulators. */
void kiln_mean_s8(const kiln_mean_s8_params_t* params, const int8_t* input, int8_t* output,
                  int32_t* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_MEAN_S8_H_ */
