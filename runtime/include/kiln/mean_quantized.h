/* The one loop of the quantized MEAN and SUM kernels, int8 and int16
 * (mean_s8, mean_s16): TFLite Micro's integer paths (reduce_common.cc
 * EvalMeanHelper and EvalSumHelper), the one it would take chosen by the
 * compiler and set in `method`. C99. */
#ifndef KILN_MEAN_QUANTIZED_H_
#define KILN_MEAN_QUANTIZED_H_

#include <stdint.h>

#include "kiln/fixedpoint.h"
#include "kiln/reduce.h"

/* MEAN with equal input and output quantization: the raw sum divided by the
 * count, truncating toward zero (reference_ops::Mean). */
#define KILN_MEAN_TRUNCATE 0
/* MEAN: the zero-point-corrected sum requantized with 1/count folded into
 * the multiplier (reference_ops::QuantizedMeanOrSum). */
#define KILN_MEAN_REQUANTIZE 1
/* MEAN of a 4-D input over axes (1, 2) with keep_dims, whatever the
 * quantization: the zero-point-corrected sum requantized, then divided by
 * the count rounding half away from zero (reference_integer_ops::Mean). */
#define KILN_MEAN_ROUNDED_SPATIAL 2
/* SUM: the zero-point-corrected sum requantized to the output
 * (QuantizedMeanOrSum with compute_sum). */
#define KILN_MEAN_SUM 3

typedef struct {
  /* The input, row-major, as num_dims dimensions (the compiler may merge
   * neighbouring dimensions); 0 <= num_dims <= KILN_REDUCE_MAX_DIMS. */
  int32_t num_dims;
  int32_t input_dims[KILN_REDUCE_MAX_DIMS];
  /* Output element stride of each input dimension; 0 for reduced ones. */
  int32_t output_strides[KILN_REDUCE_MAX_DIMS];
  int32_t num_outputs;
  /* Input elements reduced into each output (> 0). */
  int32_t num_elements_in_axis;
  /* One of KILN_MEAN_*. */
  int32_t method;
  int32_t input_zero_point;
  int32_t output_zero_point;
  /* KILN_MEAN_REQUANTIZE: input_scale / output_scale / num_elements_in_axis;
   * KILN_MEAN_ROUNDED_SPATIAL and KILN_MEAN_SUM: input_scale / output_scale. */
  int32_t output_multiplier;
  int32_t output_shift;
} kiln_mean_quantized_params_t;

/* The loop for elements of type `type` in [lo, hi]; scratch holds
 * num_outputs int32 sums. */
#define KILN_MEAN_QUANTIZED_BODY(params, input, output, scratch, type, lo, hi)                              \
  do {                                                                                                      \
    const int32_t count_ = (params)->num_elements_in_axis;                                                  \
    int32_t o_;                                                                                             \
    for (o_ = 0; o_ < (params)->num_outputs; ++o_) (scratch)[o_] = 0;                                       \
    /* Wrapping add, as TFLite's AddTensorValuesWithExpectedOverflow. */                                    \
    KILN_REDUCE_WALK(params, out_, k_,                                                                      \
                     (scratch)[out_] = (int32_t)((uint32_t)(scratch)[out_] + (uint32_t)(int32_t)(input)[k_])); \
    for (o_ = 0; o_ < (params)->num_outputs; ++o_) {                                                        \
      /* The sum of (x - input_zero_point), in TFLite's 32-bit arithmetic. */                               \
      const int32_t shifted_ =                                                                              \
          (int32_t)((int64_t)(scratch)[o_] - (int64_t)(params)->input_zero_point * (int64_t)count_);        \
      int32_t v_;                                                                                           \
      if ((params)->method == KILN_MEAN_TRUNCATE) {                                                         \
        /* The mean of values of a type is a value of that type: no clamp. */                              \
        (output)[o_] = (type)((scratch)[o_] / count_);                                                      \
        continue;                                                                                           \
      }                                                                                                     \
      v_ = kiln_multiply_by_quantized_multiplier(shifted_, (params)->output_multiplier,                     \
                                                 (int)(params)->output_shift);                              \
      if ((params)->method == KILN_MEAN_ROUNDED_SPATIAL) {                                                  \
        /* In 64 bits: TFLite's int32 +- count / 2 cannot overflow here. */                                 \
        const int64_t w_ = v_;                                                                              \
        v_ = (int32_t)(w_ > 0 ? (w_ + count_ / 2) / count_ : (w_ - count_ / 2) / count_);                   \
      }                                                                                                     \
      /* The offset added in 64 bits: TFLite's int32 sum, where it does not overflow. */                  \
      (output)[o_] = (type)kiln_clamp_i64((int64_t)v_ + (params)->output_zero_point, (lo), (hi));           \
    }                                                                                                       \
  } while (0)

#endif /* KILN_MEAN_QUANTIZED_H_ */
