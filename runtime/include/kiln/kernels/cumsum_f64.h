/* cumsum_f64: CUMSUM on float64 (ONNX's CumSum on doubles): running sums
 * along one axis in double, the walk of kiln/cumsum.h. A kernel of its own,
 * so that a float32 model links no double arithmetic. */
#ifndef KILN_KERNELS_CUMSUM_F64_H_
#define KILN_KERNELS_CUMSUM_F64_H_

#include "kiln/cumsum.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_cumsum_shape_t shape;
} kiln_cumsum_f64_params_t;

/* input, output: the same shape, [outer, depth, inner] in memory. */
void kiln_cumsum_f64(const kiln_cumsum_f64_params_t* params, const double* input, double* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_CUMSUM_F64_H_ */
