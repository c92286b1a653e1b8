/* logical_not_bool: LOGICAL_NOT on bool (any non-zero byte is true; the
 * output is 0 or 1). */
#ifndef KILN_KERNELS_LOGICAL_NOT_BOOL_H_
#define KILN_KERNELS_LOGICAL_NOT_BOOL_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Number of elements (any shape; elementwise). */
  int32_t size;
} kiln_logical_not_bool_params_t;

/* input, output: [size] bool. */
void kiln_logical_not_bool(const kiln_logical_not_bool_params_t* params, const uint8_t* input, uint8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LOGICAL_NOT_BOOL_H_ */
