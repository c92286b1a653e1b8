/* gemm_s8_dsp: see the header; the body is kiln/kernels/gemm_s8_dsp_inline.h. */
#include "kiln/kernels/gemm_s8_dsp_inline.h"

void kiln_gemm_s8_dsp(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                      int8_t* output, void* scratch) {
  kiln_gemm_s8_dsp_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_dsp_narrow(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                             int8_t* output, void* scratch) {
  kiln_gemm_s8_dsp_narrow_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_dsp_wide(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                           int8_t* output, void* scratch) {
  kiln_gemm_s8_dsp_wide_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_dsp_wide_narrow(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                                  int8_t* output, void* scratch) {
  kiln_gemm_s8_dsp_wide_narrow_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_dsp_in_registers(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                                   int8_t* output, void* scratch) {
  kiln_gemm_s8_dsp_in_registers_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_dsp_narrow_in_registers(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                          int32_t rows, int8_t* output, void* scratch) {
  kiln_gemm_s8_dsp_narrow_in_registers_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_dsp_wide_in_registers(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                                        int8_t* output, void* scratch) {
  kiln_gemm_s8_dsp_wide_in_registers_inline(params, input, rows, output, scratch);
}

void kiln_gemm_s8_dsp_wide_narrow_in_registers(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                               int32_t rows, int8_t* output, void* scratch) {
  kiln_gemm_s8_dsp_wide_narrow_in_registers_inline(params, input, rows, output, scratch);
}
