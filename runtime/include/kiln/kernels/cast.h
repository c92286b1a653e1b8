/* cast: CAST between bool, int8, uint8, int16, int32, int64 and float32, as
 * TFLite's static_cast: integers narrow by wrapping, int to float rounds to
 * nearest, float to int truncates toward zero, anything to bool is != 0.
 * A float outside the integer type's range (undefined in C and TFLite)
 * saturates, as Arm's VCVT does, and NaN becomes 0. */
#ifndef KILN_KERNELS_CAST_H_
#define KILN_KERNELS_CAST_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Element types. */
#define KILN_CAST_BOOL 0
#define KILN_CAST_INT8 1
#define KILN_CAST_UINT8 2
#define KILN_CAST_INT16 3
#define KILN_CAST_INT32 4
#define KILN_CAST_INT64 5
#define KILN_CAST_FLOAT32 6

typedef struct {
  int32_t count;
  /* KILN_CAST_* of the input and of the output. */
  int32_t from, to;
} kiln_cast_params_t;

void kiln_cast(const kiln_cast_params_t* params, const void* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CAST_H_ */
