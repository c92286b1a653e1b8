/* lut_s8: an int8 function of one int8 value, as a table of its 256
 * results made at compile time (TFLite Micro's int8 ELU is such a table:
 * kernels/elu.cc). C99. */
#ifndef KILN_KERNELS_LUT_S8_H_
#define KILN_KERNELS_LUT_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t size;         /* elements */
  const int8_t* table;  /* 256 results, indexed by the input value + 128 */
} kiln_lut_s8_params_t;

/* input, output: [size] int8; they may be the same buffer. */
void kiln_lut_s8(const kiln_lut_s8_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LUT_S8_H_ */
