/* gemm_s8_rv32: see the header. */
#include "kiln/kernels/gemm_s8_rv32.h"

#include "kiln/rv32_block.h"

/* Depth step `k` of the 4 x 4 block: the rows' values x[4k..4k+3] against
 * the channels' weights w[4k..4k+3]. */
#define KILN_STEP(x, w, k) \
  KILN_RV32_STEP((x)[4 * (k)], (x)[4 * (k) + 1], (x)[4 * (k) + 2], (x)[4 * (k) + 3], (w) + 4 * (k))

/* Rows a0 .. a0 + 3 depth interleaved: to[4k + r] = row r's value k, zeros
 * past the depth up to `padded`. */
static void interleave_rows(const int8_t* a0, int32_t depth, int32_t padded, int8_t* to) {
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

static KILN_ALWAYS_INLINE void gemm(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                                    int8_t* output, int8_t* interleaved, const int narrow) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const int32_t padded = (depth + 3) & ~3;
  const int32_t* const bias = params->bias;
  const int32_t* const requant = params->requant;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params->output_offset, params->act_min, params->act_max);
  int32_t r, n, k;
  for (r = 0; r + 4 <= rows; r += 4) {
    int8_t* const out = output + r * cols;
    const int8_t* w = params->weights;
    interleave_rows(input + r * depth, depth, padded, interleaved);
    for (n = 0; n < cols; n += 4) {
      const int32_t count = cols - n < 4 ? cols - n : 4;
      const int8_t* x = interleaved;
      KILN_RV32_BLOCK_SUMS(bias + n, count);
      for (k = padded >> 2; k > 0; --k, x += 16, w += 16) {
        KILN_STEP(x, w, 0);
        KILN_STEP(x, w, 1);
        KILN_STEP(x, w, 2);
        KILN_STEP(x, w, 3);
      }
      if (clamp.full_range)
        KILN_RV32_STORE_BLOCK(out + n, cols, count, requant + 2 * n, narrow, 1);
      else
        KILN_RV32_STORE_BLOCK(out + n, cols, count, requant + 2 * n, narrow, 0);
    }
  }
  /* The last rows (a fully connected layer at batch 1: every row) one at a
   * time, four channels per step, straight from the input. */
  for (; r < rows; ++r) {
    const int8_t* const a = input + r * depth;
    int8_t* const out = output + r * cols;
    const int8_t* w = params->weights;
    for (n = 0; n < cols; n += 4, w += 4 * padded) {
      const int32_t count = cols - n < 4 ? cols - n : 4;
      int32_t s0 = kiln_rv32_bias_at(bias + n, count, 0), s1 = kiln_rv32_bias_at(bias + n, count, 1);
      int32_t s2 = kiln_rv32_bias_at(bias + n, count, 2), s3 = kiln_rv32_bias_at(bias + n, count, 3);
      for (k = 0; k < depth; ++k) {
        const int32_t x = a[k];
        s0 += x * w[4 * k];
        s1 += x * w[4 * k + 1];
        s2 += x * w[4 * k + 2];
        s3 += x * w[4 * k + 3];
      }
      kiln_gemm_s8_store(clamp, out + n, count, s0, s1, s2, s3, requant + 2 * n, narrow);
    }
  }
}

void kiln_gemm_s8_rv32(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows, int8_t* output,
                       void* scratch) {
  gemm(params, input, rows, output, (int8_t*)scratch, 0);
}

void kiln_gemm_s8_rv32_narrow(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                              int8_t* output, void* scratch) {
  gemm(params, input, rows, output, (int8_t*)scratch, 1);
}
