/* The CUMSUM kernels (cumsum for float32 and int8, cumsum_f64 for float64):
 * the walk they share. The tensor is seen as [outer, depth, inner] with the
 * summed axis in the middle; `exclusive`: each sum leaves out its own
 * element (the first is 0); `reverse`: the sums run from the end of the
 * axis. C99. */
#ifndef KILN_CUMSUM_H_
#define KILN_CUMSUM_H_

#include <stdint.h>

typedef struct {
  int32_t outer, depth, inner;
  int32_t exclusive, reverse;
} kiln_cumsum_shape_t;

/* Element `step` of the axis at (o, i): the axis walked backwards when
 * reversed. */
static inline int32_t kiln_cumsum_element(const kiln_cumsum_shape_t* s, int32_t o, int32_t i, int32_t step) {
  const int32_t d = s->reverse ? s->depth - 1 - step : step;
  return (o * s->depth + d) * s->inner + i;
}

/* The running sums of a floating type T (float, double). */
#define KILN_CUMSUM_FLOAT(T, s, input, output)                  \
  do {                                                          \
    int32_t o_, i_, step_;                                      \
    for (o_ = 0; o_ < (s)->outer; ++o_)                         \
      for (i_ = 0; i_ < (s)->inner; ++i_) {                     \
        T sum_ = 0;                                             \
        for (step_ = 0; step_ < (s)->depth; ++step_) {          \
          const int32_t at_ = kiln_cumsum_element(s, o_, i_, step_); \
          const T x_ = (input)[at_];                            \
          if ((s)->exclusive) {                                 \
            (output)[at_] = sum_;                               \
            sum_ += x_;                                         \
          } else {                                              \
            sum_ += x_;                                         \
            (output)[at_] = sum_;                               \
          }                                                     \
        }                                                       \
      }                                                         \
  } while (0)

#endif /* KILN_CUMSUM_H_ */
