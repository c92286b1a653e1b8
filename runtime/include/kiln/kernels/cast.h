/* cast: CAST between bool, int8, uint8, int16, int32, int64 and float32, as
 * TFLite's static_cast: integers narrow by wrapping, int to float rounds to
 * nearest, float to int truncates toward zero, anything to bool is != 0.
 * A float outside the integer type's range (undefined in C and TFLite)
 * saturates, as Arm's VCVT does, and NaN becomes 0. A float64 on either side
 * is cast_f64's, so that a float32 build links no double arithmetic. */
#ifndef KILN_KERNELS_CAST_H_
#define KILN_KERNELS_CAST_H_

#include "kiln/cast.h"

#ifdef __cplusplus
extern "C" {
#endif

void kiln_cast(const kiln_cast_params_t* params, const void* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CAST_H_ */
