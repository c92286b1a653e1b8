/* binary_f64: one loop per operation, the switch outside them. */
#include "kiln/kernels/binary_f64.h"

#include <math.h>

/* output[i] = EXPR of x (an element of a) and y (of b) over the broadcast. */
#define BINARY_F64_LOOP(EXPR)                                                 \
  do {                                                                        \
    kiln_broadcast_iter_t it_;                                                \
    int32_t i_;                                                               \
    kiln_broadcast_iter_init(&it_);                                           \
    for (i_ = 0; i_ < shape->count; ++i_) {                                   \
      const double x = shape->flat ? a[i_] : a[it_.a];                        \
      const double y = shape->flat ? b[i_] : b[it_.b];                        \
      output[i_] = (EXPR);                                                    \
      if (!shape->flat) kiln_broadcast_iter_next(&it_, shape);                \
    }                                                                         \
  } while (0)

static double floor_mod(double x, double y) {
  const double r = fmod(x, y);
  return (r != 0.0 && ((r < 0.0) != (y < 0.0))) ? r + y : r;
}

void kiln_binary_f64(const kiln_binary_f64_params_t* params, const double* a, const double* b, double* output) {
  const kiln_broadcast_t* shape = &params->shape;
  switch (params->op) {
    case KILN_BINARY_OP_ADD: BINARY_F64_LOOP(x + y); break;
    case KILN_BINARY_OP_SUB: BINARY_F64_LOOP(x - y); break;
    case KILN_BINARY_OP_MUL: BINARY_F64_LOOP(x * y); break;
    case KILN_BINARY_OP_DIV: BINARY_F64_LOOP(x / y); break;
    case KILN_BINARY_OP_FLOOR_DIV: BINARY_F64_LOOP(floor(x / y)); break;
    case KILN_BINARY_OP_FLOOR_MOD: BINARY_F64_LOOP(floor_mod(x, y)); break;
    case KILN_BINARY_OP_TRUNC_MOD: BINARY_F64_LOOP(fmod(x, y)); break;
    case KILN_BINARY_OP_MAXIMUM: BINARY_F64_LOOP(x != x ? x : y != y ? y : x > y ? x : y); break;
    case KILN_BINARY_OP_POW: BINARY_F64_LOOP(pow(x, y)); break;
    default: BINARY_F64_LOOP(x != x ? x : y != y ? y : x < y ? x : y); break;
  }
}
