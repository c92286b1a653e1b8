/* The float32 elementwise unary kernels (abs_f32, sqrt_f32, sin_f32 ...):
 * their one params struct and their one loop. Each kernel is a file of its
 * own, so that a model links only the math functions it uses. C99. */
#ifndef KILN_UNARY_F32_H_
#define KILN_UNARY_F32_H_

#include <stdint.h>

typedef struct {
  /* Number of elements (any shape; elementwise). */
  int32_t size;
} kiln_unary_f32_params_t;

/* output[i] = f(input[i]) for every element; `f` a function or macro of one
 * float. The output may be the input (in place). */
#define KILN_UNARY_F32_LOOP(params, input, output, f)                  \
  do {                                                                \
    int32_t i_;                                                       \
    for (i_ = 0; i_ < (params)->size; ++i_) (output)[i_] = f((input)[i_]); \
  } while (0)

#endif /* KILN_UNARY_F32_H_ */
