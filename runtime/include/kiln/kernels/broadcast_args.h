/* broadcast_args: TFLite's BROADCAST_ARGS for int32 or int64 shapes: the
 * shape two shapes broadcast to, aligned at their last dimension (a missing
 * leading dimension counts as 1). Two dimensions that differ with neither 1
 * stop the kernel with KILN_ERROR_INCOMPATIBLE_SHAPES (kiln/runtime.h), where
 * TFLite's check fails. */
#ifndef KILN_KERNELS_BROADCAST_ARGS_H_
#define KILN_KERNELS_BROADCAST_ARGS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* The lengths of the two shapes; the output holds the larger. */
  int32_t length1, length2;
  /* 4: int32 shapes and output; 8: int64. */
  int32_t element_bytes;
} kiln_broadcast_args_params_t;

/* Returns 0 (KILN_OK), or KILN_ERROR_INCOMPATIBLE_SHAPES. */
int32_t kiln_broadcast_args(const kiln_broadcast_args_params_t* params, const void* shape1, const void* shape2,
                            void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_BROADCAST_ARGS_H_ */
