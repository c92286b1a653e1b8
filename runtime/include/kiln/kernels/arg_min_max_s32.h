/* arg_min_max_s32: ARG_MAX and ARG_MIN over one axis of a int32 tensor (kiln/arg_min_max.h). */
#ifndef KILN_KERNELS_ARG_MIN_MAX_S32_H_
#define KILN_KERNELS_ARG_MIN_MAX_S32_H_

#include "kiln/arg_min_max.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef kiln_arg_min_max_params_t kiln_arg_min_max_s32_params_t;

/* input: [outer, axis_size, inner] int32; output: [outer, inner] int32 or int64. */
void kiln_arg_min_max_s32(const kiln_arg_min_max_s32_params_t* params, const int32_t* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ARG_MIN_MAX_S32_H_ */
