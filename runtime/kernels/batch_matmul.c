/* batch_matmul: see the header. */
#include "kiln/kernels/batch_matmul.h"

#include "kiln/fixedpoint.h"

/* The loop over batches and output elements, once for both dtypes: `dot`
 * (a constant where inlined) writes out[m * N + n] from X at `x` and Y at
 * `y`. */
#define KILN_BATCH_MATMUL_LOOP(s, x, y, out, DOT)                                                   \
  do {                                                                                              \
    int32_t b0, b1, b2, m, n;                                                                       \
    for (b0 = 0; b0 < (s)->batch[0]; ++b0)                                                          \
      for (b1 = 0; b1 < (s)->batch[1]; ++b1)                                                        \
        for (b2 = 0; b2 < (s)->batch[2]; ++b2) {                                                    \
          const int32_t xb = b0 * (s)->x_batch_step[0] + b1 * (s)->x_batch_step[1] +                 \
                             b2 * (s)->x_batch_step[2];                                             \
          const int32_t yb = b0 * (s)->y_batch_step[0] + b1 * (s)->y_batch_step[1] +                 \
                             b2 * (s)->y_batch_step[2];                                             \
          for (m = 0; m < (s)->rows; ++m)                                                           \
            for (n = 0; n < (s)->cols; ++n, ++(out))                                                \
              DOT((x) + xb + m * (s)->x_row_step, (y) + yb + n * (s)->y_col_step, (out));           \
        }                                                                                           \
  } while (0)

void kiln_batch_matmul_f32(const kiln_batch_matmul_f32_params_t* params, const float* x, const float* y,
                           float* output) {
  const kiln_batch_matmul_shape_t* s = &params->shape;
#define KILN_DOT_F32(xr, yc, out)                                                      \
  do {                                                                                 \
    float total = 0.0f;                                                                \
    int32_t k;                                                                         \
    for (k = 0; k < s->depth; ++k) total += (xr)[k * s->x_depth_step] * (yc)[k * s->y_depth_step]; \
    *(out) = total;                                                                     \
  } while (0)
  KILN_BATCH_MATMUL_LOOP(s, x, y, output, KILN_DOT_F32);
#undef KILN_DOT_F32
}

void kiln_batch_matmul_s8(const kiln_batch_matmul_s8_params_t* params, const int8_t* x, const int8_t* y,
                          int8_t* output) {
  const kiln_batch_matmul_s8_params_t p = *params;
  const kiln_batch_matmul_shape_t* s = &p.shape;
#define KILN_DOT_S8(xr, yc, out)                                                                            \
  do {                                                                                                      \
    int32_t total = 0, k;                                                                                   \
    for (k = 0; k < s->depth; ++k)                                                                          \
      total += ((xr)[k * s->x_depth_step] + p.x_offset) * ((yc)[k * s->y_depth_step] + p.y_offset);             \
    *(out) = (int8_t)kiln_clamp_i32(kiln_multiply_by_quantized_multiplier(total, p.multiplier, p.shift) +     \
                                      p.output_offset,                                                      \
                                  p.act_min, p.act_max);                                                    \
  } while (0)
  KILN_BATCH_MATMUL_LOOP(s, x, y, output, KILN_DOT_S8);
#undef KILN_DOT_S8
}
