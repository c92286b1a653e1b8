/* gemm_s8_rv32: see the header. Its body, every function inline: the
 * runtime's entry points (kernels/gemm_s8_rv32.c) and the shape-specialised copies
 * of generated code (docs/schedules.md) are both made of it. */
#ifndef KILN_KERNELS_GEMM_S8_RV32_INLINE_H_
#define KILN_KERNELS_GEMM_S8_RV32_INLINE_H_
#include "kiln/kernels/gemm_s8_rv32.h"

#include "kiln/rv32_common.h"

/* Depth step `k` of a 4 x 4 block, whose sixteen sums are the locals
 * s<row><channel> (locals, not a struct or an array: GCC keeps those in
 * memory across the barrier): row r's value k at x[r rs + k ks] against
 * the channels' weights w[4k..4k+3]. */
#define KILN_STEP(x, rs, ks, w, k)                                                                             \
  do {                                                                                                         \
    const int32_t x0_ = (x)[(k) * (ks)], x1_ = (x)[(rs) + (k) * (ks)], x2_ = (x)[2 * (rs) + (k) * (ks)],        \
                  x3_ = (x)[3 * (rs) + (k) * (ks)];                                                            \
    int32_t f_ = (w)[4 * (k)];                                                                                 \
    s00 += x0_ * f_, s10 += x1_ * f_, s20 += x2_ * f_, s30 += x3_ * f_;                                        \
    KILN_SCHEDULE_BARRIER();                                                                                   \
    f_ = (w)[4 * (k) + 1];                                                                                     \
    s01 += x0_ * f_, s11 += x1_ * f_, s21 += x2_ * f_, s31 += x3_ * f_;                                        \
    KILN_SCHEDULE_BARRIER();                                                                                   \
    f_ = (w)[4 * (k) + 2];                                                                                     \
    s02 += x0_ * f_, s12 += x1_ * f_, s22 += x2_ * f_, s32 += x3_ * f_;                                        \
    KILN_SCHEDULE_BARRIER();                                                                                   \
    f_ = (w)[4 * (k) + 3];                                                                                     \
    s03 += x0_ * f_, s13 += x1_ * f_, s23 += x2_ * f_, s33 += x3_ * f_;                                        \
    KILN_SCHEDULE_BARRIER();                                                                                   \
  } while (0)

/* Depth step `k` of one row (value x[k]) against four channels (weights
 * w[4k..4k+3]), the sums s0..s3. */
#define KILN_ROW_STEP(x, w, k)                                                                         \
  do {                                                                                                 \
    const int32_t v_ = (x)[k];                                                                         \
    s0 += v_ * (w)[4 * (k)], s1 += v_ * (w)[4 * (k) + 1], s2 += v_ * (w)[4 * (k) + 2],                 \
        s3 += v_ * (w)[4 * (k) + 3];                                                                   \
  } while (0)

/* Rows a0 .. a0 + 3 depth interleaved: to[4k + r] = row r's value k, zeros
 * past the depth up to `padded`. */
static inline void kiln_gemm_rv32_interleave_rows(const int8_t* a0, int32_t depth, int32_t padded, int8_t* to) {
  const int8_t* a1 = a0 + depth;
  const int8_t* a2 = a1 + depth;
  const int8_t* a3 = a2 + depth;
  int32_t k;
  for (k = 0; k < depth; ++k, to += 4) {
    to[0] = a0[k];
    to[1] = a1[k];
    to[2] = a2[k];
    to[3] = a3[k];
  }
  for (; k < padded; ++k, to += 4) to[0] = to[1] = to[2] = to[3] = 0;
}

/* The 4 x 4 block's first `count` channels (sums s<row><channel>). */
#define KILN_STORE_BLOCK(full_range)                                                                               \
  do {                                                                                                             \
    kiln_rv32_store_channel(clamp, out + n, cols, 4, s00, s10, s20, s30, requant, n, relu, narrow, full_range);    \
    if (count > 1)                                                                                                 \
      kiln_rv32_store_channel(clamp, out + n + 1, cols, 4, s01, s11, s21, s31, requant, n + 1, relu, narrow,       \
                              full_range);                                                                         \
    if (count > 2)                                                                                                 \
      kiln_rv32_store_channel(clamp, out + n + 2, cols, 4, s02, s12, s22, s32, requant, n + 2, relu, narrow,       \
                              full_range);                                                                         \
    if (count > 3)                                                                                                 \
      kiln_rv32_store_channel(clamp, out + n + 3, cols, 4, s03, s13, s23, s33, requant, n + 3, relu, narrow,       \
                              full_range);                                                                         \
  } while (0)

/* The multiply with `relu` (kiln_rv32_output) a constant. */
static KILN_ALWAYS_INLINE void kiln_gemm_rv32_rows(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                   int32_t rows, int8_t* output, int8_t* interleaved,
                                                   const int relu, const int narrow) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const int32_t padded = (depth + 3) & ~3;
  /* Where the depth is a literal (the shaped copies), the four rows are
   * read in place, one pointer reaching them at constant offsets. Elsewhere
   * (im2col calls its gemm through a pointer) four row pointers would spill
   * in the loop: the rows are interleaved into the scratch first. */
  const int in_place = KILN_IS_CONSTANT(depth);
  const int32_t rs = in_place ? depth : 1, ks = in_place ? 1 : 4;
  const int32_t* const bias = params->bias;
  const int32_t* const requant = params->requant;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params->output_offset, params->act_min, params->act_max);
  /* The rows the 4 x 4 blocks take, then the rest one at a time: bounds
   * GCC can see as literals where rows is one (the shaped copies), so that
   * the loop a shape never runs folds away. */
  const int32_t blocked = rows >= 4 ? rows & ~3 : 0;
  int32_t r, n, k;
  for (r = 0; r < blocked; r += 4) {
    int8_t* const out = output + r * cols;
    const int8_t* w = params->weights;
    if (!in_place) kiln_gemm_rv32_interleave_rows(input + r * depth, depth, padded, interleaved);
    for (n = 0; n < cols; n += 4) {
      const int32_t count = cols - n < 4 ? cols - n : 4;
      const int8_t* x = in_place ? input + r * depth : interleaved;
      int32_t s00 = kiln_rv32_bias_at(bias + n, count, 0), s01 = kiln_rv32_bias_at(bias + n, count, 1);
      int32_t s02 = kiln_rv32_bias_at(bias + n, count, 2), s03 = kiln_rv32_bias_at(bias + n, count, 3);
      int32_t s10 = s00, s11 = s01, s12 = s02, s13 = s03;
      int32_t s20 = s00, s21 = s01, s22 = s02, s23 = s03;
      int32_t s30 = s00, s31 = s01, s32 = s02, s33 = s03;
      /* Deep shaped layers eight depth steps a turn: the loop's pointers and
       * end, and the sum GCC spills beside sixteen, once per 128
       * multiply-accumulates (shallow ones gain nothing: GCC spills more in
       * the straight-line steps). */
      if (in_place && depth >= 32) {
        for (k = depth >> 3; k > 0; --k, x += 8, w += 32) {
          KILN_STEP(x, rs, ks, w, 0);
          KILN_STEP(x, rs, ks, w, 1);
          KILN_STEP(x, rs, ks, w, 2);
          KILN_STEP(x, rs, ks, w, 3);
          KILN_STEP(x, rs, ks, w, 4);
          KILN_STEP(x, rs, ks, w, 5);
          KILN_STEP(x, rs, ks, w, 6);
          KILN_STEP(x, rs, ks, w, 7);
        }
        k = (depth >> 2) & 1;
      } else {
        k = depth >> 2;
      }
      for (; k > 0; --k, x += 4 * ks, w += 16) {
        KILN_STEP(x, rs, ks, w, 0);
        KILN_STEP(x, rs, ks, w, 1);
        KILN_STEP(x, rs, ks, w, 2);
        KILN_STEP(x, rs, ks, w, 3);
      }
      /* The last depth % 4 steps; their quad's weights padded with zeros. */
      for (k = 0; k < (depth & 3); ++k) KILN_STEP(x, rs, ks, w, k);
      w += 4 * (padded - (depth & ~3));
      if (clamp.full_range)
        KILN_STORE_BLOCK(1);
      else
        KILN_STORE_BLOCK(0);
    }
  }
  /* The last rows (a fully connected layer at batch 1: every row) one at a
   * time, four channels per step, straight from the input. */
  for (r = blocked; r < rows; ++r) {
    const int8_t* const a = input + r * depth;
    int8_t* const out = output + r * cols;
    const int8_t* w = params->weights;
    for (n = 0; n < cols; n += 4, w += 4 * padded) {
      const int32_t count = cols - n < 4 ? cols - n : 4;
      int32_t s0 = kiln_rv32_bias_at(bias + n, count, 0), s1 = kiln_rv32_bias_at(bias + n, count, 1);
      int32_t s2 = kiln_rv32_bias_at(bias + n, count, 2), s3 = kiln_rv32_bias_at(bias + n, count, 3);
      const int8_t* x = a;
      const int8_t* q = w;
      /* Four depth steps a turn: the loop's two pointer steps and branch
       * once per sixteen multiply-accumulates. */
      for (k = depth >> 2; k > 0; --k, x += 4, q += 16) {
        KILN_ROW_STEP(x, q, 0);
        KILN_ROW_STEP(x, q, 1);
        KILN_ROW_STEP(x, q, 2);
        KILN_ROW_STEP(x, q, 3);
      }
      for (k = 0; k < (depth & 3); ++k) KILN_ROW_STEP(x, q, k);
      kiln_rv32_store_row(clamp, out + n, count, s0, s1, s2, s3, requant, n, relu, narrow);
    }
  }
}

static KILN_ALWAYS_INLINE void kiln_gemm_rv32_gemm(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                   int32_t rows, int8_t* output, int8_t* interleaved,
                                                   const int narrow) {
  if (narrow && kiln_gemm_s8_clamp(params->output_offset, params->act_min, params->act_max).relu)
    kiln_gemm_rv32_rows(params, input, rows, output, interleaved, 1, narrow);
  else
    kiln_gemm_rv32_rows(params, input, rows, output, interleaved, 0, narrow);
}

/* The entry points' bodies (kiln/kernels/gemm_s8_rv32.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_gemm_s8_rv32_inline(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                        int32_t rows, int8_t* output,
                       void* scratch) {
  kiln_gemm_rv32_gemm(params, input, rows, output, (int8_t*)scratch, 0);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_rv32_narrow_inline(const kiln_gemm_s8_params_t* params,
                                                               const int8_t* input, int32_t rows,
                              int8_t* output, void* scratch) {
  kiln_gemm_rv32_gemm(params, input, rows, output, (int8_t*)scratch, 1);
}

#undef KILN_STEP
#undef KILN_ROW_STEP
#undef KILN_STORE_BLOCK

#endif /* KILN_KERNELS_GEMM_S8_RV32_INLINE_H_ */
