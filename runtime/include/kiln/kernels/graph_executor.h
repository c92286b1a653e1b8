/* graph_executor: runs a model given as data, a blob that `kiln compile
 * --executor graph` writes (docs/graph-executor.md), on the kernels a
 * firmware was built with. The blob holds the operators in order, each
 * with the values its kernel call needs (integers, floats, offsets into the
 * blob's constants, into the planned pools, or the model's inputs and
 * outputs), the pool sizes, the state to reset and a CRC. The firmware
 * offers a table of kernel entry points ("calls"), each known by the hash
 * of its generated source and the classes of the values it reads, and its
 * statically allocated pools. No malloc. Shipped in the archive like a
 * kernel, when the module uses it. */
#ifndef KILN_KERNELS_GRAPH_EXECUTOR_H_
#define KILN_KERNELS_GRAPH_EXECUTOR_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_GRAPH_FORMAT_VERSION 2
#define KILN_GRAPH_HEADER_BYTES 72
/* The blob must sit at an address aligned this much (its data region's
 * objects are aligned so, relative to the blob). */
#define KILN_GRAPH_ALIGNMENT 16

/* Why a blob is refused (returned by kiln_graph_check and by the module's
 * graph_run; above kiln_status_t's codes). */
enum {
  KILN_GRAPH_ERROR_TRUNCATED = 16,      /* shorter than its header or its stated size */
  KILN_GRAPH_ERROR_NOT_A_GRAPH = 17,    /* no "KILNGRPH" magic */
  KILN_GRAPH_ERROR_VERSION = 18,        /* another format version */
  KILN_GRAPH_ERROR_CRC = 19,            /* the bytes are corrupted */
  KILN_GRAPH_ERROR_MALFORMED = 20,      /* a table or value points outside the blob */
  KILN_GRAPH_ERROR_MISSING_KERNEL = 21, /* it needs a call this firmware lacks */
  KILN_GRAPH_ERROR_TOO_BIG = 22,        /* its pools exceed this firmware's */
  KILN_GRAPH_ERROR_INTERFACE = 23,      /* other inputs or outputs than this firmware's */
  KILN_GRAPH_ERROR_ALIGNMENT = 24       /* the blob is not KILN_GRAPH_ALIGNMENT-aligned */
};

/* Value kinds in the blob, and the class a call reads them as. */
enum {
  KILN_GRAPH_INT = 0,    /* class 'i' */
  KILN_GRAPH_F32 = 1,    /* class 'f' */
  KILN_GRAPH_F64 = 2,    /* class 'd' */
  KILN_GRAPH_DATA = 3,   /* class 'p': blob + data offset + value */
  KILN_GRAPH_POOL = 4,   /* class 'p': pools[index] + value */
  KILN_GRAPH_INPUT = 5,  /* class 'p': inputs[index] */
  KILN_GRAPH_OUTPUT = 6, /* class 'p': outputs[index] */
  KILN_GRAPH_NULL = 7    /* class 'p' */
};

/* One operator's call, as its entry point sees it. */
typedef struct {
  const uint8_t* blob;
  const uint8_t* values; /* this operator's value records */
  uint32_t value_count;
  uint8_t* const* pools;
  const void* const* inputs;
  void* const* outputs;
} kiln_graph_call_t;

typedef int32_t (*kiln_graph_entry_fn)(const kiln_graph_call_t* call);

/* A call this firmware can make: the hash of its generated source, the
 * class of each value it reads ("ppii..."), and its entry point. */
typedef struct {
  uint64_t hash;
  const char* classes;
  kiln_graph_entry_fn entry;
} kiln_graph_kernel_t;

/* What a firmware offers a blob. */
typedef struct {
  const kiln_graph_kernel_t* kernels;
  uint32_t kernel_count;
  uint8_t* const* pools; /* KILN_POOL_ALIGNMENT-aligned static arrays */
  const uint32_t* pool_capacities;
  uint32_t pool_count;
  const uint32_t* input_bytes;
  uint32_t input_count;
  const uint32_t* output_bytes;
  uint32_t output_count;
} kiln_graph_firmware_t;

/* Checks that the blob is whole (size, magic, version, CRC), consistent
 * (every table and value inside it) and runnable here (every call in the
 * firmware's table with the same value classes, pools within capacity,
 * the same inputs and outputs). Returns 0 or a KILN_GRAPH_ERROR_*. Reads
 * every byte once: call it when a blob arrives, not per inference. */
int32_t kiln_graph_check(const uint8_t* blob, uint32_t size, const kiln_graph_firmware_t* firmware);

/* Puts the state (variable tensors) of a checked blob to its initial bytes. */
void kiln_graph_reset(const uint8_t* blob, const kiln_graph_firmware_t* firmware);

/* Runs a checked blob once. op_ticks (NULL, or one per operator) receives
 * each operator's platform ticks in builds with KILN_PROFILE. Returns 0 or
 * the first failing call's status. */
int32_t kiln_graph_run(const uint8_t* blob, const kiln_graph_firmware_t* firmware, const void* const* inputs,
                       void* const* outputs, uint64_t* op_ticks);

/* Operators in a checked blob. */
uint32_t kiln_graph_operator_count(const uint8_t* blob);

/* Value k of a call, read as its class (the check made sure it is one). */
int64_t kiln_graph_int(const kiln_graph_call_t* call, uint32_t k);
float kiln_graph_f32(const kiln_graph_call_t* call, uint32_t k);
double kiln_graph_f64(const kiln_graph_call_t* call, uint32_t k);
void* kiln_graph_ptr(const kiln_graph_call_t* call, uint32_t k);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GRAPH_EXECUTOR_H_ */
