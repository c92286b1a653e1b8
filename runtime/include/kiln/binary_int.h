/* The integer binary kernels (binary_s8, binary_u8, binary_s16, binary_s32,
 * binary_s64): ADD, SUB, MUL, DIV, FLOOR_DIV, FLOOR_MOD, TRUNC_MOD, MAXIMUM,
 * MINIMUM, POW and SQUARED_DIFFERENCE on one integer type with numpy
 * broadcasting, then the fused activation's clamp. ADD, SUB, MUL, POW and
 * SQUARED_DIFFERENCE wrap around (computed unsigned, so that no overflow is
 * undefined); DIV truncates toward zero as C
 * and TFLite's int32 DIV do; dividing the most negative value by -1 wraps. A
 * negative exponent gives 1 / x^-y truncated toward zero (1, -1 or 0), as a
 * power computed in double and cast back does. A zero divisor (0 to a
 * negative power included) stops the kernel with
 * KILN_ERROR_DIVISION_BY_ZERO. C99. */
#ifndef KILN_BINARY_INT_H_
#define KILN_BINARY_INT_H_

#include <stdint.h>

#include "kiln/binary_op.h"
#include "kiln/broadcast.h"
#include "kiln/runtime.h"

typedef struct {
  kiln_broadcast_t shape;
  /* A KILN_BINARY_OP_* code. */
  int32_t op;
  /* The fused activation's range (the type's whole range when none). */
  int64_t activation_min;
  int64_t activation_max;
} kiln_binary_int_params_t;

/* output[i] = clamp(EXPR) over the broadcast shape, EXPR an expression of the
 * elements x (of a) and y (of b), both of type T. */
#define KILN_BINARY_INT_LOOP(params, a, b, output, T, EXPR)                          \
  do {                                                                                \
    const kiln_broadcast_t* shape_ = &(params)->shape;                                \
    const int64_t lo_ = (params)->activation_min, hi_ = (params)->activation_max;     \
    kiln_broadcast_iter_t it_;                                                        \
    int32_t i_;                                                                       \
    kiln_broadcast_iter_init(&it_);                                                   \
    for (i_ = 0; i_ < shape_->count; ++i_) {                                          \
      const T x = shape_->flat ? (a)[i_] : (a)[it_.a];                                \
      const T y = shape_->flat ? (b)[i_] : (b)[it_.b];                                \
      const T r_ = (T)(EXPR);                                                         \
      (output)[i_] = (int64_t)r_ < lo_ ? (T)lo_ : (int64_t)r_ > hi_ ? (T)hi_ : r_;    \
      if (!shape_->flat) kiln_broadcast_iter_next(&it_, shape_);                      \
    }                                                                                 \
  } while (0)

/* base^exponent modulo 2^64 (square and multiply): the low bits are those
 * of the power in any narrower type. */
static inline uint64_t kiln_binary_int_pow(uint64_t base, uint64_t exponent) {
  uint64_t result = 1;
  for (; exponent != 0; exponent >>= 1) {
    if (exponent & 1u) result *= base;
    base *= base;
  }
  return result;
}

/* The operations every integer type shares, as cases of the kernels'
 * switch. W is the unsigned type the wrapping operations are computed in (at
 * least 32 bits, so that nothing is promoted to a signed int). */
#define KILN_BINARY_INT_COMMON_CASES(params, a, b, output, T, W)                                          \
  case KILN_BINARY_OP_ADD: KILN_BINARY_INT_LOOP(params, a, b, output, T, (W)x + (W)y); break;           \
  case KILN_BINARY_OP_SUB: KILN_BINARY_INT_LOOP(params, a, b, output, T, (W)x - (W)y); break;           \
  case KILN_BINARY_OP_MUL: KILN_BINARY_INT_LOOP(params, a, b, output, T, (W)x * (W)y); break;           \
  case KILN_BINARY_OP_SQUARED_DIFFERENCE:                                                                  \
    KILN_BINARY_INT_LOOP(params, a, b, output, T, ((W)x - (W)y) * ((W)x - (W)y)); break;                 \
  case KILN_BINARY_OP_MAXIMUM: KILN_BINARY_INT_LOOP(params, a, b, output, T, x > y ? x : y); break;     \
  case KILN_BINARY_OP_MINIMUM: KILN_BINARY_INT_LOOP(params, a, b, output, T, x < y ? x : y); break;

/* The body of kiln_binary_<T> for a signed T: one loop per operation, the
 * switch outside them; a divisor of -1 is taken apart, where C's division
 * of the most negative value overflows. */
#define KILN_BINARY_INT_SIGNED_BODY(params, a, b, output, T, W)                                            \
  do {                                                                                                     \
    int32_t zero_ = 0;                                                                                     \
    switch ((params)->op) {                                                                                \
      KILN_BINARY_INT_COMMON_CASES(params, a, b, output, T, W)                                             \
      case KILN_BINARY_OP_DIV:                                                                            \
        KILN_BINARY_INT_LOOP(params, a, b, output, T,                                                      \
                             y == 0 ? (zero_ = 1, 0) : (T)y == (T)-1 ? (T)(0 - (W)x) : (T)(x / y));        \
        break;                                                                                             \
      case KILN_BINARY_OP_FLOOR_DIV:                                                                      \
        KILN_BINARY_INT_LOOP(params, a, b, output, T,                                                      \
                             y == 0 ? (zero_ = 1, 0)                                                       \
                             : (T)y == (T)-1 ? (T)(0 - (W)x)                                               \
                                             : (T)(x / y - ((x % y != 0 && ((x < 0) != (y < 0))) ? 1 : 0))); \
        break;                                                                                             \
      case KILN_BINARY_OP_FLOOR_MOD:                                                                      \
        KILN_BINARY_INT_LOOP(params, a, b, output, T,                                                      \
                             y == 0 ? (zero_ = 1, 0)                                                       \
                             : (T)y == (T)-1 ? 0                                                           \
                                             : (T)(x % y + ((x % y != 0 && ((x % y < 0) != (y < 0))) ? y : 0))); \
        break;                                                                                             \
      case KILN_BINARY_OP_POW:                                                                            \
        KILN_BINARY_INT_LOOP(params, a, b, output, T,                                                      \
                             y >= 0 ? (T)kiln_binary_int_pow((uint64_t)(int64_t)x, (uint64_t)(int64_t)y)  \
                             : x == 1 ? 1 : x == -1 ? ((y & 1) ? -1 : 1) : x == 0 ? (zero_ = 1, 0) : 0);   \
        break;                                                                                             \
      default:                                                                                             \
        KILN_BINARY_INT_LOOP(params, a, b, output, T, y == 0 ? (zero_ = 1, 0) : (T)y == (T)-1 ? 0 : x % y); \
        break;                                                                                             \
    }                                                                                                      \
    return zero_ ? KILN_ERROR_DIVISION_BY_ZERO : KILN_OK;                                                  \
  } while (0)

/* The same for an unsigned T, where every division floors and every
 * remainder is the floored one. */
#define KILN_BINARY_INT_UNSIGNED_BODY(params, a, b, output, T, W)                                          \
  do {                                                                                                     \
    int32_t zero_ = 0;                                                                                     \
    switch ((params)->op) {                                                                                \
      KILN_BINARY_INT_COMMON_CASES(params, a, b, output, T, W)                                             \
      case KILN_BINARY_OP_DIV:                                                                            \
      case KILN_BINARY_OP_FLOOR_DIV:                                                                      \
        KILN_BINARY_INT_LOOP(params, a, b, output, T, y == 0 ? (zero_ = 1, 0) : x / y);                    \
        break;                                                                                             \
      case KILN_BINARY_OP_POW: KILN_BINARY_INT_LOOP(params, a, b, output, T, kiln_binary_int_pow(x, y)); break; \
      default: KILN_BINARY_INT_LOOP(params, a, b, output, T, y == 0 ? (zero_ = 1, 0) : x % y); break;      \
    }                                                                                                      \
    return zero_ ? KILN_ERROR_DIVISION_BY_ZERO : KILN_OK;                                                  \
  } while (0)

#endif /* KILN_BINARY_INT_H_ */
