/* The CAST kernels (cast, and cast_f64 for float64 on either side): the
 * element type codes and the params they share. C99. */
#ifndef KILN_CAST_H_
#define KILN_CAST_H_

#include <stdint.h>

/* Element types. */
#define KILN_CAST_BOOL 0
#define KILN_CAST_INT8 1
#define KILN_CAST_UINT8 2
#define KILN_CAST_INT16 3
#define KILN_CAST_INT32 4
#define KILN_CAST_INT64 5
#define KILN_CAST_FLOAT32 6
#define KILN_CAST_FLOAT64 7

typedef struct {
  int32_t count;
  /* KILN_CAST_* of the input and of the output. */
  int32_t from, to;
} kiln_cast_params_t;

#endif /* KILN_CAST_H_ */
