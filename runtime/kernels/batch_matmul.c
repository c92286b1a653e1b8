/* batch_matmul: see the header. */
#include "kiln/kernels/batch_matmul.h"

#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"

/* One output element: X's row from element x_at, Y's column from y_at,
 * into output[index]. */
typedef void (*dot_fn)(const void* params, const void* x, const void* y, int32_t x_at, int32_t y_at, void* output,
                       int32_t index);

/* Every output element, in order, for both dtypes: `dot` (a constant where
 * inlined, so that it is inlined too) does the rest. */
static KILN_ALWAYS_INLINE void batch_matmul(const kiln_batch_matmul_shape_t* s, const void* params, const void* x,
                                            const void* y, void* output, dot_fn dot) {
  int32_t b0, b1, b2, m, n, index = 0;
  for (b0 = 0; b0 < s->batch[0]; ++b0)
    for (b1 = 0; b1 < s->batch[1]; ++b1)
      for (b2 = 0; b2 < s->batch[2]; ++b2) {
        const int32_t xb = b0 * s->x_batch_step[0] + b1 * s->x_batch_step[1] + b2 * s->x_batch_step[2];
        const int32_t yb = b0 * s->y_batch_step[0] + b1 * s->y_batch_step[1] + b2 * s->y_batch_step[2];
        for (m = 0; m < s->rows; ++m)
          for (n = 0; n < s->cols; ++n)
            dot(params, x, y, xb + m * s->x_row_step, yb + n * s->y_col_step, output, index++);
      }
}

static KILN_ALWAYS_INLINE void dot_f32(const void* params, const void* x, const void* y, int32_t x_at, int32_t y_at,
                                       void* output, int32_t index) {
  const kiln_batch_matmul_shape_t* s = &((const kiln_batch_matmul_f32_params_t*)params)->shape;
  const float* xr = (const float*)x + x_at;
  const float* yc = (const float*)y + y_at;
  float total = 0.0f; /* summed in order of k, as TFLite */
  int32_t k;
  for (k = 0; k < s->depth; ++k) total += xr[k * s->x_depth_step] * yc[k * s->y_depth_step];
  ((float*)output)[index] = total;
}

static KILN_ALWAYS_INLINE void dot_s8(const void* params, const void* x, const void* y, int32_t x_at, int32_t y_at,
                                      void* output, int32_t index) {
  const kiln_batch_matmul_s8_params_t* p = (const kiln_batch_matmul_s8_params_t*)params;
  const int8_t* xr = (const int8_t*)x + x_at;
  const int8_t* yc = (const int8_t*)y + y_at;
  int32_t total = 0, k;
  for (k = 0; k < p->shape.depth; ++k)
    total += (xr[k * p->shape.x_depth_step] + p->x_offset) * (yc[k * p->shape.y_depth_step] + p->y_offset);
  ((int8_t*)output)[index] = (int8_t)kiln_clamp_i32(
      kiln_multiply_by_quantized_multiplier(total, p->multiplier, p->shift) + p->output_offset, p->act_min, p->act_max);
}

static KILN_ALWAYS_INLINE void dot_s16(const void* params, const void* x, const void* y, int32_t x_at, int32_t y_at,
                                       void* output, int32_t index) {
  const kiln_batch_matmul_s16_params_t* p = (const kiln_batch_matmul_s16_params_t*)params;
  const int16_t* xr = (const int16_t*)x + x_at;
  const int16_t* yc = (const int16_t*)y + y_at;
  int64_t total = 0;
  int32_t k;
  for (k = 0; k < p->shape.depth; ++k)
    total += (int64_t)(xr[k * p->shape.x_depth_step] + p->x_offset) * (yc[k * p->shape.y_depth_step] + p->y_offset);
  ((int16_t*)output)[index] = (int16_t)kiln_clamp_i32(
      kiln_multiply_by_quantized_multiplier_s64(total, p->multiplier, p->shift) + p->output_offset, p->act_min,
      p->act_max);
}

void kiln_batch_matmul_f32(const kiln_batch_matmul_f32_params_t* params, const float* x, const float* y,
                           float* output) {
  batch_matmul(&params->shape, params, x, y, output, dot_f32);
}

void kiln_batch_matmul_s8(const kiln_batch_matmul_s8_params_t* params, const int8_t* x, const int8_t* y,
                          int8_t* output) {
  batch_matmul(&params->shape, params, x, y, output, dot_s8);
}

void kiln_batch_matmul_s16(const kiln_batch_matmul_s16_params_t* params, const int16_t* x, const int16_t* y,
                           int16_t* output) {
  batch_matmul(&params->shape, params, x, y, output, dot_s16);
}
