/* axis_gather: an output whose every axis picks its input positions from a
 * table made at compile time: out[i0..i5] = in[offset0[i0] + ... +
 * offset5[i5]], the offsets counted in input elements (an index times the
 * axis's row-major stride). MIRROR_PAD's reflections are such tables.
 * Element sizes 1, 2 and 4 bytes. C99. */
#ifndef KILN_KERNELS_AXIS_GATHER_H_
#define KILN_KERNELS_AXIS_GATHER_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outputs are normalised to this many axes (leading axes of count 1). */
#define KILN_AXIS_GATHER_MAX_DIMS 6

typedef struct {
  int32_t element_size; /* bytes per element: 1, 2 or 4 */
  int32_t count[KILN_AXIS_GATHER_MAX_DIMS]; /* output elements along each axis */
  /* Per axis, count[d] input element offsets (a leading axis of count 1
   * points at a single 0). */
  const int32_t* offset[KILN_AXIS_GATHER_MAX_DIMS];
} kiln_axis_gather_params_t;

/* input and output row-major; they must not overlap. */
void kiln_axis_gather(const kiln_axis_gather_params_t* params, const void* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_AXIS_GATHER_H_ */
