/* logical_bool: see the header. */
#include "kiln/kernels/logical_bool.h"

#define KILN_TRUTH(x) ((x) != 0)

void kiln_logical_bool(const kiln_logical_bool_params_t* params, const uint8_t* a, const uint8_t* b,
                       uint8_t* output) {
  if (params->op == KILN_LOGICAL_AND)
    KILN_COMPARE_LOOP(&params->shape, a, b, output, KILN_TRUTH, KILN_TRUTH, &&);
  else
    KILN_COMPARE_LOOP(&params->shape, a, b, output, KILN_TRUTH, KILN_TRUTH, ||);
}
