/* batch_matmul: BATCH_MATMUL on float32, int8 and int16, TFLite's reference
 * BatchMatMul: out[b, m, n] = sum over k of X[b, m, k] * Y[b, k, n], the
 * batch dimensions (up to 3) broadcast, X and Y read through strides so
 * that adj_x and adj_y (transposed operands) need no copy. float32 sums in
 * order of k; int8 sums (x - zp_x)(y - zp_y) in int32, then requantizes
 * (TFLite's MultiplyByQuantizedMultiplier), offsets and clamps; int16 (zero
 * points 0) sums in int64 and requantizes with the 64-bit
 * MultiplyByQuantizedMultiplier, as TensorFlow Lite Micro's EvalInt16. */
#ifndef KILN_KERNELS_BATCH_MATMUL_H_
#define KILN_KERNELS_BATCH_MATMUL_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* The output's batch dimensions, and per operand the elements one step
   * along each (0 where that operand is broadcast along it). */
  int32_t batch[3];
  int32_t x_batch_step[3], y_batch_step[3];
  /* M, N, K. */
  int32_t rows, cols, depth;
  /* X(m, k) = x[m * x_row_step + k * x_depth_step];
   * Y(k, n) = y[k * y_depth_step + n * y_col_step]. */
  int32_t x_row_step, x_depth_step, y_depth_step, y_col_step;
} kiln_batch_matmul_shape_t;

typedef struct {
  kiln_batch_matmul_shape_t shape;
} kiln_batch_matmul_f32_params_t;

typedef struct {
  kiln_batch_matmul_shape_t shape;
  /* -zero point of X and of Y; the output's zero point. */
  int32_t x_offset, y_offset, output_offset;
  /* x_scale * y_scale / output_scale as TFLite's QuantizeMultiplier. */
  int32_t multiplier, shift;
  int32_t act_min, act_max;
} kiln_batch_matmul_s8_params_t;

/* The same fields; the offsets are 0 (TFLite Micro requires it). */
typedef kiln_batch_matmul_s8_params_t kiln_batch_matmul_s16_params_t;

/* output: [batch..., M, N], row-major. */
void kiln_batch_matmul_f32(const kiln_batch_matmul_f32_params_t* params, const float* x, const float* y,
                           float* output);
void kiln_batch_matmul_s8(const kiln_batch_matmul_s8_params_t* params, const int8_t* x, const int8_t* y,
                          int8_t* output);
void kiln_batch_matmul_s16(const kiln_batch_matmul_s16_params_t* params, const int16_t* x, const int16_t* y,
                           int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_BATCH_MATMUL_H_ */
