/* gemm_s8_rv32: the int8 matrix multiply (kiln/gemm.h) in portable C,
 * blocked for a core with 31 registers and no multiply-accumulate
 * instruction (RV32IMAC): 4 rows x 4 output channels per step, sixteen sums
 * in registers, so that each loaded value feeds four multiplies: per depth
 * step 8 loads, 16 multiplies and 16 adds. In the shape-specialised copies,
 * whose depth is a literal, the four rows are read in place, one pointer
 * reaching them at constant offsets; elsewhere they are first interleaved
 * into the scratch (the four values of each depth step side by side), so
 * that the loop needs no more pointers. The "gemm_rv32" schedule
 * (docs/schedules.md). */
#ifndef KILN_KERNELS_GEMM_S8_RV32_H_
#define KILN_KERNELS_GEMM_S8_RV32_H_

#include "kiln/gemm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The weights ("channel quads"): the output channels in groups of 4, the
 * last group padded with zero rows; per group, per depth step k (the depth
 * padded with zeros to a multiple of 4), the group's four weights of step
 * k. The scratch (4-byte aligned): four rows, the depth padded to a
 * multiple of 4; the compiler sizes it with the same formula
 * (src/kernels/gemm_lowering.cc). */
#define KILN_GEMM_S8_RV32_SCRATCH_BYTES(depth) (4 * (((depth) + 3) / 4 * 4))

void kiln_gemm_s8_rv32(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows, int8_t* output,
                       void* scratch);
void kiln_gemm_s8_rv32_narrow(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                              int8_t* output, void* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GEMM_S8_RV32_H_ */
