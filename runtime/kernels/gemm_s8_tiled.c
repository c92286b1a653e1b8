/* gemm_s8_tiled: see the header; the body is kiln/kernels/gemm_s8_tiled_inline.h. */
#include "kiln/kernels/gemm_s8_tiled_inline.h"

void kiln_gemm_s8_tiled(const kiln_gemm_s8_tiled_params_t* params, const int8_t* input, int32_t rows,
                        int8_t* output, void* scratch) {
  kiln_gemm_s8_tiled_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_tiled_narrow(const kiln_gemm_s8_tiled_params_t* params, const int8_t* input, int32_t rows,
                               int8_t* output, void* scratch) {
  kiln_gemm_s8_tiled_narrow_inline(params, input, rows, output, scratch);
}
