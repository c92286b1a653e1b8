/* What the reduction kernels share (mean_f32, mean_s8, reduce_f32,
 * reduce_s8): the walk over the input in row-major order, each element
 * visited with the offset of the output it reduces into (the params carry
 * num_dims, input_dims[] and output_strides[], 0 for reduced dimensions, as
 * the compiler lays them out in src/kernels/reduce.cc), and the params and
 * operation codes of reduce_f32, reduce_s8 and reduce_bool. C99. */
#ifndef KILN_REDUCE_H_
#define KILN_REDUCE_H_

#include <stdint.h>

/* The most dimensions a reduction's input may have after merging. */
#define KILN_REDUCE_MAX_DIMS 8

/* Runs `visit(out, i)` for input element i (in row-major order) with `out`
 * the offset of its output element; `out` and `i` are int32_t names the
 * caller chooses. */
#define KILN_REDUCE_WALK(params, out, i, visit)                              \
  do {                                                                       \
    int32_t index_[KILN_REDUCE_MAX_DIMS];                                    \
    int32_t total_ = 1, d_, out = 0, i;                                      \
    for (d_ = 0; d_ < (params)->num_dims; ++d_) {                            \
      index_[d_] = 0;                                                        \
      total_ *= (params)->input_dims[d_];                                    \
    }                                                                        \
    for (i = 0; i < total_; ++i) {                                           \
      visit;                                                                 \
      for (d_ = (params)->num_dims - 1; d_ >= 0; --d_) {                     \
        ++index_[d_];                                                        \
        out += (params)->output_strides[d_];                                 \
        if (index_[d_] < (params)->input_dims[d_]) break;                    \
        out -= (params)->output_strides[d_] * (params)->input_dims[d_];      \
        index_[d_] = 0;                                                      \
      }                                                                      \
    }                                                                        \
  } while (0)

#define KILN_REDUCE_SUM 0
#define KILN_REDUCE_MAX 1
#define KILN_REDUCE_MIN 2
#define KILN_REDUCE_PROD 3 /* reduce_f32 only */
#define KILN_REDUCE_ALL 4  /* reduce_bool only: logical and */
#define KILN_REDUCE_ANY 5  /* reduce_bool only: logical or */

typedef struct {
  /* The input, row-major, as num_dims dimensions (neighbours may be merged). */
  int32_t num_dims;
  int32_t input_dims[KILN_REDUCE_MAX_DIMS];
  /* Output element stride of each input dimension; 0 for reduced ones. */
  int32_t output_strides[KILN_REDUCE_MAX_DIMS];
  int32_t num_outputs;
  /* KILN_REDUCE_SUM, _MAX, _MIN or (float32) _PROD. */
  int32_t op;
} kiln_reduce_params_t;

#endif /* KILN_REDUCE_H_ */
