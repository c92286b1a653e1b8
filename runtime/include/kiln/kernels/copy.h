/* copy: moves a tensor's bytes unchanged (RESHAPE, SQUEEZE). Any dtype. */
#ifndef KILN_KERNELS_COPY_H_
#define KILN_KERNELS_COPY_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Copies `bytes` bytes from input to output; the regions may be equal but
 * must not otherwise overlap. */
void kiln_copy(const void* input, void* output, size_t bytes);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_COPY_H_ */
