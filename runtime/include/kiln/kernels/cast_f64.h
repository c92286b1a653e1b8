/* cast_f64: CAST from or to float64 (ONNX's double), as cast does for the
 * other types: float64 to an integer truncates toward zero, saturating at
 * the type's bounds (NaN gives 0); integers and float32 widen exactly,
 * except int64 beyond 2^53, which rounds to nearest; float64 to float32
 * rounds to nearest. */
#ifndef KILN_KERNELS_CAST_F64_H_
#define KILN_KERNELS_CAST_F64_H_

#include "kiln/cast.h"

#ifdef __cplusplus
extern "C" {
#endif

void kiln_cast_f64(const kiln_cast_params_t* params, const void* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CAST_F64_H_ */
