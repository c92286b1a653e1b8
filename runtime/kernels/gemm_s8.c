/* gemm_s8: see the header; the body is kiln/kernels/gemm_s8_inline.h. */
#include "kiln/kernels/gemm_s8_inline.h"

void kiln_gemm_s8(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                  int8_t* output, void* scratch) {
  kiln_gemm_s8_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_narrow(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                         int8_t* output, void* scratch) {
  kiln_gemm_s8_narrow_inline(params, input, rows, output, scratch);
}
