/* broadcast_args: from the last dimension back, as TFLite's reference does. */
#include "kiln/kernels/broadcast_args.h"

#include "kiln/runtime.h"

/* Dimension `back` counted from the end of a shape of `length` values; 1
 * before its start. */
static int64_t kiln_broadcast_args_dim(const void* shape, int32_t length, int32_t back, int32_t element_bytes) {
  const int32_t i = length - 1 - back;
  if (i < 0) return 1;
  return element_bytes == 8 ? ((const int64_t*)shape)[i] : ((const int32_t*)shape)[i];
}

int32_t kiln_broadcast_args(const kiln_broadcast_args_params_t* params, const void* shape1, const void* shape2,
                            void* output) {
  const int32_t length = params->length1 > params->length2 ? params->length1 : params->length2;
  int32_t back;
  for (back = 0; back < length; ++back) {
    const int64_t a = kiln_broadcast_args_dim(shape1, params->length1, back, params->element_bytes);
    const int64_t b = kiln_broadcast_args_dim(shape2, params->length2, back, params->element_bytes);
    int64_t d;
    if (a == 1) {
      d = b;
    } else if (b == 1 || a == b) {
      d = a;
    } else {
      return KILN_ERROR_INCOMPATIBLE_SHAPES;
    }
    if (params->element_bytes == 8)
      ((int64_t*)output)[length - 1 - back] = d;
    else
      ((int32_t*)output)[length - 1 - back] = (int32_t)d;
  }
  return KILN_OK;
}
