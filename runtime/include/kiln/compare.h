/* The comparison and logical kernels (compare_f32, compare_s32,
 * compare_s8, compare_bool, logical_bool): the operation codes, the params
 * of the unscaled ones, and the broadcast loop they share. Outputs are bool,
 * one byte each (0 or 1). C99. */
#ifndef KILN_COMPARE_H_
#define KILN_COMPARE_H_

#include <stdint.h>

#include "kiln/broadcast.h"

/* `op` of the comparison kernels. */
#define KILN_COMPARE_EQUAL 0
#define KILN_COMPARE_NOT_EQUAL 1
#define KILN_COMPARE_LESS 2
#define KILN_COMPARE_LESS_EQUAL 3
#define KILN_COMPARE_GREATER 4
#define KILN_COMPARE_GREATER_EQUAL 5
/* `op` of logical_bool. */
#define KILN_LOGICAL_AND 0
#define KILN_LOGICAL_OR 1

typedef struct {
  kiln_broadcast_t shape;
  /* A KILN_COMPARE_* (KILN_LOGICAL_* for logical_bool) code. */
  int32_t op;
} kiln_compare_params_t;

/* output[i] = (uint8_t)(FA(a[ia]) OP FB(b[ib])) over the broadcast `shape`;
 * FA and FB map an element of a and of b to the value compared (an
 * identity, or each input's own rescaling). */
#define KILN_COMPARE_LOOP(shape, a, b, output, FA, FB, OP)                    \
  do {                                                                        \
    int32_t i_;                                                               \
    if ((shape)->flat) {                                                      \
      for (i_ = 0; i_ < (shape)->count; ++i_)                                 \
        (output)[i_] = (uint8_t)(FA((a)[i_]) OP FB((b)[i_]));                 \
    } else {                                                                  \
      kiln_broadcast_iter_t it_;                                              \
      kiln_broadcast_iter_init(&it_);                                         \
      for (i_ = 0; i_ < (shape)->count; ++i_) {                               \
        (output)[i_] = (uint8_t)(FA((a)[it_.a]) OP FB((b)[it_.b]));           \
        kiln_broadcast_iter_next(&it_, (shape));                              \
      }                                                                       \
    }                                                                         \
  } while (0)

/* One loop per comparison code: the switch is outside the loops. */
#define KILN_COMPARE_SWITCH(op, shape, a, b, output, FA, FB)                                     \
  do {                                                                                           \
    switch (op) {                                                                                \
      case KILN_COMPARE_EQUAL: KILN_COMPARE_LOOP(shape, a, b, output, FA, FB, ==); break;        \
      case KILN_COMPARE_NOT_EQUAL: KILN_COMPARE_LOOP(shape, a, b, output, FA, FB, !=); break;    \
      case KILN_COMPARE_LESS: KILN_COMPARE_LOOP(shape, a, b, output, FA, FB, <); break;          \
      case KILN_COMPARE_LESS_EQUAL: KILN_COMPARE_LOOP(shape, a, b, output, FA, FB, <=); break;   \
      case KILN_COMPARE_GREATER: KILN_COMPARE_LOOP(shape, a, b, output, FA, FB, >); break;       \
      default: KILN_COMPARE_LOOP(shape, a, b, output, FA, FB, >=); break;                        \
    }                                                                                            \
  } while (0)

#define KILN_COMPARE_AS_IS(x) (x)

#endif /* KILN_COMPARE_H_ */
