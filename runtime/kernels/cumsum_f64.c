/* cumsum_f64: see the header. */
#include "kiln/kernels/cumsum_f64.h"

void kiln_cumsum_f64(const kiln_cumsum_f64_params_t* params, const double* input, double* output) {
  KILN_CUMSUM_FLOAT(double, &params->shape, input, output);
}
