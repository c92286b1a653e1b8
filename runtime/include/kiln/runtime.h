/* Kiln device runtime: the definitions shared by generated code and the
 * kernel library. C99, no malloc, no stdio. Versioned like a schema: a
 * change that breaks generated code bumps KILN_RUNTIME_ABI_VERSION. */
#ifndef KILN_RUNTIME_H_
#define KILN_RUNTIME_H_

#include <stddef.h>
#include <stdint.h>

#define KILN_RUNTIME_ABI_VERSION 1

/* Status returned by generated run() functions. */
typedef enum {
  KILN_OK = 0,
  KILN_ERROR_NULL_ARGUMENT = 1,
  /* An index read at run time (GATHER's positions) was outside its axis;
   * the output is incomplete, as TFLite Micro's Invoke fails there. */
  KILN_ERROR_INDEX_OUT_OF_RANGE = 2,
  /* An integer division or modulo (DIV, FLOOR_DIV, FLOOR_MOD, TRUNC_MOD on
   * integers) met a zero divisor at run time, where TFLite's kernels fail. */
  KILN_ERROR_DIVISION_BY_ZERO = 3,
  /* Two shapes read at run time (BROADCAST_ARGS) do not broadcast: a
   * dimension differs and neither is 1, where TFLite's check fails. */
  KILN_ERROR_INCOMPATIBLE_SHAPES = 4,
  /* A value read at run time was outside the operator's domain (int8 RSQRT
   * of a negative value), where TFLite Micro's Eval fails. */
  KILN_ERROR_OUT_OF_DOMAIN = 5
} kiln_status_t;

/* Alignment of planned pools (bytes); every buffer offset is a multiple. */
#define KILN_POOL_ALIGNMENT 16

#if defined(__GNUC__) || defined(__clang__)
#define KILN_ALIGNED(n) __attribute__((aligned(n)))
/* A rarely taken path kept out of a hot loop's registers. */
#define KILN_COLD __attribute__((noinline, cold))
/* A helper specialised by its constant arguments at each call. */
#define KILN_ALWAYS_INLINE inline __attribute__((always_inline))
/* A function compiled on its own, whatever calls it (a layer shape's
 * kernel in generated code): inlined into run(), its loops would compete
 * with run()'s registers, and the footprint measures it alone. */
#if defined(__clang__)
#define KILN_NOINLINE __attribute__((noinline))
#else
#define KILN_NOINLINE __attribute__((noipa))
#endif
/* Whether `x` is a constant where the code is compiled (a shape-specialised
 * copy): picks code that needs it as an immediate. */
#define KILN_IS_CONSTANT(x) __builtin_constant_p(x)
/* Nothing moves across it, in either direction (a volatile asm is a barrier
 * to GCC's instruction scheduler): keeps a kernel's loads together, or its
 * next step's loads below this one's arithmetic. */
#define KILN_SCHEDULE_BARRIER() __asm__ __volatile__("" ::: "memory")
#else
#define KILN_ALIGNED(n)
#define KILN_COLD
#define KILN_ALWAYS_INLINE inline
#define KILN_NOINLINE
#define KILN_IS_CONSTANT(x) 0
#define KILN_SCHEDULE_BARRIER()
#endif

/* Per-operator profiling, compiled in with -DKILN_PROFILE: the generated
 * run() records each operator's ticks of this free-running platform counter
 * in kiln_<module>_op_ticks[] (the device protocol's PROFILE reads them). */
#ifdef KILN_PROFILE
uint64_t kiln_platform_ticks(void);
#endif

/* Tensor capture, in modules generated for `kiln debug` only: after each
 * operator, run() hands each of its outputs (operator `op`'s output number
 * `output`, `bytes` bytes) to this hook, which the program provides: the
 * device server's capture buffer (runtime/rpc/capture.c) or the host
 * harness. */
void kiln_capture_tensor(uint16_t op, uint8_t output, const void* data, uint32_t bytes);

#endif /* KILN_RUNTIME_H_ */
