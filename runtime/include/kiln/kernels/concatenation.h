/* concatenation: joins tensors along one axis (CONCATENATION). Any dtype:
 * the kernel moves bytes, so one kernel serves int8, uint8, int16, int32
 * and float32 (quantized inputs share the output's scale and zero point). */
#ifndef KILN_KERNELS_CONCATENATION_H_
#define KILN_KERNELS_CONCATENATION_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Number of input tensors (>= 1). */
  int32_t num_inputs;
  /* Product of the output dimensions before the concatenation axis. */
  int32_t outer_size;
  /* Per input: bytes of one outer slice, i.e. the product of that input's
   * dimensions from the axis on, times the element size. [num_inputs]. */
  const int32_t* slice_bytes;
} kiln_concatenation_params_t;

/* inputs: [num_inputs] pointers to row-major tensors of the same dtype and
 * rank; output: the row-major result. The output must not overlap an input. */
void kiln_concatenation(const kiln_concatenation_params_t* params, const void* const* inputs,
                        void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CONCATENATION_H_ */
