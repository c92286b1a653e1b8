/* gemm_s8: the int8 matrix multiply (kiln/gemm.h) in portable C, 2 rows x 2
 * output channels per inner iteration. The "gemm" schedule on every target. */
#ifndef KILN_KERNELS_GEMM_S8_H_
#define KILN_KERNELS_GEMM_S8_H_

#include "kiln/gemm.h"

#ifdef __cplusplus
extern "C" {
#endif

void kiln_gemm_s8(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                  int8_t* output, void* scratch);
void kiln_gemm_s8_narrow(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                         int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GEMM_S8_H_ */
