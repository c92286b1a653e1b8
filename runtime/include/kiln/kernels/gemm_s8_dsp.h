/* gemm_s8_dsp: the int8 matrix multiply (kiln/gemm.h) with the Arm DSP
 * extension: 4 depth steps per SXTB16 pair and SMLAD, 2 rows x 2 output
 * channels per inner iteration. The "gemm_dsp" schedule; portable C
 * stands in for the instructions elsewhere (kiln/simd.h). */
#ifndef KILN_KERNELS_GEMM_S8_DSP_H_
#define KILN_KERNELS_GEMM_S8_DSP_H_

#include "kiln/gemm.h"

#ifdef __cplusplus
extern "C" {
#endif

void kiln_gemm_s8_dsp(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                      int8_t* output, void* scratch);
void kiln_gemm_s8_dsp_narrow(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                             int8_t* output, void* scratch);
/* Weights in the "wide pairs" layout (kiln/gemm.h), widened to int16 at
 * compile time: no SXTB16 of the weights in the inner loop, twice their
 * flash. With the scratch, as kiln_gemm_s8_dsp. */
void kiln_gemm_s8_dsp_wide(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                           int8_t* output, void* scratch);
void kiln_gemm_s8_dsp_wide_narrow(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                                  int8_t* output, void* scratch);
/* Without the scratch (it may be NULL): each block widened in registers. */
void kiln_gemm_s8_dsp_in_registers(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                                   int8_t* output, void* scratch);
void kiln_gemm_s8_dsp_narrow_in_registers(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                          int32_t rows, int8_t* output, void* scratch);
/* Weights in the "wide quads" layout (kiln/gemm.h), rows read as they are,
 * four channels at a time: no scratch, twice the weights' flash; made for
 * a fully connected layer at batch 1. */
void kiln_gemm_s8_dsp_wide_in_registers(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                                        int8_t* output, void* scratch);
void kiln_gemm_s8_dsp_wide_narrow_in_registers(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                               int32_t rows, int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GEMM_S8_DSP_H_ */
