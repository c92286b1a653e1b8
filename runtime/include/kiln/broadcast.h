/* Numpy-style broadcasting of two inputs onto one output, for elementwise
 * binary kernels (ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM). The compiler computes, per output
 * dimension, how far each input advances (its stride, or 0 where that input
 * has extent 1 and is repeated), exactly as TFLite's NdArrayDesc does after
 * NdArrayDescsForElementwiseBroadcast. Kernels walk the output in row-major
 * order with an iterator that tracks both input offsets. C99. */
#ifndef KILN_BROADCAST_H_
#define KILN_BROADCAST_H_

#include <stdint.h>

/* The highest rank a broadcast operand may have. Shapes of lower rank are
 * padded in front with 1s. */
#define KILN_BROADCAST_MAX_RANK 6

typedef struct {
  /* Output extents, left-padded with 1s to KILN_BROADCAST_MAX_RANK. */
  int32_t dims[KILN_BROADCAST_MAX_RANK];
  /* Elements input a (b) advances per step of each output dimension; 0 where
   * that input is broadcast along the dimension. */
  int32_t a_strides[KILN_BROADCAST_MAX_RANK];
  int32_t b_strides[KILN_BROADCAST_MAX_RANK];
  /* Number of output elements. */
  int32_t count;
  /* 1 when both inputs have the output's shape (up to leading 1s), so
   * element i of the output reads element i of each input. */
  int32_t flat;
} kiln_broadcast_t;

/* Position of a row-major walk over the output: the multi-index, and the
 * matching element offsets into inputs a and b. */
typedef struct {
  int32_t index[KILN_BROADCAST_MAX_RANK];
  int32_t a;
  int32_t b;
} kiln_broadcast_iter_t;

static inline void kiln_broadcast_iter_init(kiln_broadcast_iter_t* it) {
  int d;
  for (d = 0; d < KILN_BROADCAST_MAX_RANK; ++d) it->index[d] = 0;
  it->a = 0;
  it->b = 0;
}

/* Steps to the next output element (the last dimension varies fastest). */
static inline void kiln_broadcast_iter_next(kiln_broadcast_iter_t* it,
                                            const kiln_broadcast_t* shape) {
  int d;
  for (d = KILN_BROADCAST_MAX_RANK - 1; d >= 0; --d) {
    it->a += shape->a_strides[d];
    it->b += shape->b_strides[d];
    if (++it->index[d] < shape->dims[d]) return;
    /* Wrap this dimension and carry into the next outer one. */
    it->a -= shape->a_strides[d] * shape->dims[d];
    it->b -= shape->b_strides[d] * shape->dims[d];
    it->index[d] = 0;
  }
}

/* A float32 binary operation on one pair of elements. */
typedef float (*kiln_binary_f32_op_t)(float a, float b);

/* The loop every float32 binary kernel shares: output[i] = clamp(op(a, b))
 * over the broadcast shape, the fused activation clamp taking the max first,
 * then the min (TFLite's ActivationFunctionWithMinMax), so a NaN passes
 * through unchanged. `op` is a static function of the caller, which the
 * compiler inlines. */
static inline void kiln_broadcast_binary_f32(const kiln_broadcast_t* shape, const float* a,
                                             const float* b, float* output, float lo, float hi,
                                             kiln_binary_f32_op_t op) {
  const int32_t count = shape->count;
  int32_t i;
  float y;
  if (shape->flat) {
    for (i = 0; i < count; ++i) {
      y = op(a[i], b[i]);
      y = y < lo ? lo : y;
      output[i] = hi < y ? hi : y;
    }
  } else {
    kiln_broadcast_iter_t it;
    kiln_broadcast_iter_init(&it);
    for (i = 0; i < count; ++i) {
      y = op(a[it.a], b[it.b]);
      y = y < lo ? lo : y;
      output[i] = hi < y ? hi : y;
      kiln_broadcast_iter_next(&it, shape);
    }
  }
}

#endif /* KILN_BROADCAST_H_ */
