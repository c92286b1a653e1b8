/* graph_executor: see kiln/kernels/graph_executor.h and
 * docs/graph-executor.md for the blob's layout. Every multi-byte field is
 * little-endian and read a byte at a time, so the blob needs no alignment
 * beyond its data region's. */
#include "kiln/kernels/graph_executor.h"

#include <stddef.h>
#include <string.h>

#include "kiln/runtime.h"

/* Header fields (byte offsets). */
enum {
  H_VERSION = 8, H_TOTAL = 12, H_CRC = 16, H_POOLS = 20, H_OPS = 24, H_VALUES = 28, H_INPUTS = 32,
  H_OUTPUTS = 36, H_RESETS = 40, H_POOL_TABLE = 44, H_OP_TABLE = 48, H_VALUE_TABLE = 52, H_IO_TABLE = 56,
  H_RESET_TABLE = 60, H_DATA = 64, H_DATA_SIZE = 68
};
#define OP_RECORD 16u    /* hash u64, first value u32, value count u32 */
#define VALUE_RECORD 16u /* kind u32, index u32, value i64 */
#define RESET_RECORD 16u /* pool u32, offset u32, size u32, then a fill byte u32, or bit 31 and a data offset */
#define RESET_COPY 0x80000000u

static uint32_t u32_at(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t u64_at(const uint8_t* p) { return (uint64_t)u32_at(p) | ((uint64_t)u32_at(p + 4) << 32); }

static uint32_t field(const uint8_t* blob, uint32_t offset) { return u32_at(blob + offset); }

/* CRC-32 (IEEE, as zlib's), a nibble at a time: a 64-byte table. */
static uint32_t crc32_of(const uint8_t* data, uint32_t size) {
  static const uint32_t table[16] = {0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
                                     0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
                                     0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};
  uint32_t crc = 0xFFFFFFFFu, i;
  for (i = 0; i < size; ++i) {
    crc ^= data[i];
    crc = (crc >> 4) ^ table[crc & 15u];
    crc = (crc >> 4) ^ table[crc & 15u];
  }
  return ~crc;
}

/* True when a table of `count` records of `record` bytes at `offset` lies
 * inside the first `total` bytes (64-bit arithmetic: no wrap-around). */
static int table_fits(uint32_t offset, uint64_t count, uint32_t record, uint32_t total) {
  return (uint64_t)offset + count * record <= total;
}

static char class_of(uint32_t kind) {
  switch (kind) {
    case KILN_GRAPH_INT: return 'i';
    case KILN_GRAPH_F32: return 'f';
    case KILN_GRAPH_F64: return 'd';
    case KILN_GRAPH_DATA:
    case KILN_GRAPH_POOL:
    case KILN_GRAPH_INPUT:
    case KILN_GRAPH_OUTPUT:
    case KILN_GRAPH_NULL: return 'p';
    default: return '?';
  }
}

static const kiln_graph_kernel_t* find_kernel(const kiln_graph_firmware_t* fw, uint64_t hash) {
  uint32_t i;
  for (i = 0; i < fw->kernel_count; ++i)
    if (fw->kernels[i].hash == hash) return &fw->kernels[i];
  return NULL;
}

/* One value record against what the call reads and where it may point. */
static int value_ok(const uint8_t* blob, const uint8_t* v, char expected, const kiln_graph_firmware_t* fw) {
  const uint32_t kind = u32_at(v), index = u32_at(v + 4);
  const uint64_t value = u64_at(v + 8);
  const uint32_t pools = field(blob, H_POOLS);
  if (class_of(kind) != expected) return 0;
  switch (kind) {
    case KILN_GRAPH_DATA: return value <= field(blob, H_DATA_SIZE);
    case KILN_GRAPH_POOL:
      return index < pools && value <= u32_at(blob + field(blob, H_POOL_TABLE) + 4u * index);
    case KILN_GRAPH_INPUT: return index < fw->input_count;
    case KILN_GRAPH_OUTPUT: return index < fw->output_count;
    default: return 1;
  }
}

int32_t kiln_graph_check(const uint8_t* blob, uint32_t size, const kiln_graph_firmware_t* fw) {
  uint32_t total, pools, ops, values, inputs, outputs, resets, i, k;
  if (blob == NULL || fw == NULL) return KILN_ERROR_NULL_ARGUMENT;
  if (((uintptr_t)blob & (KILN_GRAPH_ALIGNMENT - 1u)) != 0) return KILN_GRAPH_ERROR_ALIGNMENT;
  if (size < 8 || memcmp(blob, "KILNGRPH", 8) != 0) return size < 8 ? KILN_GRAPH_ERROR_TRUNCATED : KILN_GRAPH_ERROR_NOT_A_GRAPH;
  if (size < KILN_GRAPH_HEADER_BYTES) return KILN_GRAPH_ERROR_TRUNCATED;
  if (field(blob, H_VERSION) != KILN_GRAPH_FORMAT_VERSION) return KILN_GRAPH_ERROR_VERSION;
  total = field(blob, H_TOTAL);
  if (total > size) return KILN_GRAPH_ERROR_TRUNCATED;
  if (total < KILN_GRAPH_HEADER_BYTES) return KILN_GRAPH_ERROR_MALFORMED;
  if (crc32_of(blob + 20, total - 20u) != field(blob, H_CRC)) return KILN_GRAPH_ERROR_CRC;

  pools = field(blob, H_POOLS);
  ops = field(blob, H_OPS);
  values = field(blob, H_VALUES);
  inputs = field(blob, H_INPUTS);
  outputs = field(blob, H_OUTPUTS);
  resets = field(blob, H_RESETS);
  if (!table_fits(field(blob, H_POOL_TABLE), pools, 4, total) || !table_fits(field(blob, H_OP_TABLE), ops, OP_RECORD, total) ||
      !table_fits(field(blob, H_VALUE_TABLE), values, VALUE_RECORD, total) ||
      !table_fits(field(blob, H_IO_TABLE), (uint64_t)inputs + outputs, 4, total) ||
      !table_fits(field(blob, H_RESET_TABLE), resets, RESET_RECORD, total) ||
      !table_fits(field(blob, H_DATA), field(blob, H_DATA_SIZE), 1, total) ||
      (field(blob, H_DATA) & (KILN_GRAPH_ALIGNMENT - 1u)) != 0)
    return KILN_GRAPH_ERROR_MALFORMED;

  /* What this firmware has room for and exchanges. */
  if (pools > fw->pool_count) return KILN_GRAPH_ERROR_TOO_BIG;
  for (i = 0; i < pools; ++i)
    if (u32_at(blob + field(blob, H_POOL_TABLE) + 4u * i) > fw->pool_capacities[i]) return KILN_GRAPH_ERROR_TOO_BIG;
  if (inputs != fw->input_count || outputs != fw->output_count) return KILN_GRAPH_ERROR_INTERFACE;
  for (i = 0; i < inputs + outputs; ++i) {
    const uint32_t bytes = u32_at(blob + field(blob, H_IO_TABLE) + 4u * i);
    if (bytes != (i < inputs ? fw->input_bytes[i] : fw->output_bytes[i - inputs])) return KILN_GRAPH_ERROR_INTERFACE;
  }

  for (i = 0; i < ops; ++i) {
    const uint8_t* op = blob + field(blob, H_OP_TABLE) + OP_RECORD * i;
    const uint32_t first = u32_at(op + 8), count = u32_at(op + 12);
    const kiln_graph_kernel_t* kernel;
    if ((uint64_t)first + count > values) return KILN_GRAPH_ERROR_MALFORMED;
    kernel = find_kernel(fw, u64_at(op));
    if (kernel == NULL || strlen(kernel->classes) != count) return KILN_GRAPH_ERROR_MISSING_KERNEL;
    for (k = 0; k < count; ++k) {
      const uint8_t* v = blob + field(blob, H_VALUE_TABLE) + VALUE_RECORD * (first + k);
      if (!value_ok(blob, v, kernel->classes[k], fw)) return KILN_GRAPH_ERROR_MALFORMED;
    }
  }
  for (i = 0; i < resets; ++i) {
    const uint8_t* r = blob + field(blob, H_RESET_TABLE) + RESET_RECORD * i;
    const uint32_t pool = u32_at(r), from = u32_at(r + 12);
    if (pool >= pools || (uint64_t)u32_at(r + 4) + u32_at(r + 8) > u32_at(blob + field(blob, H_POOL_TABLE) + 4u * pool))
      return KILN_GRAPH_ERROR_MALFORMED;
    if ((from & RESET_COPY) ? (uint64_t)(from & ~RESET_COPY) + u32_at(r + 8) > field(blob, H_DATA_SIZE) : from > 0xFFu)
      return KILN_GRAPH_ERROR_MALFORMED;
  }
  return KILN_OK;
}

uint32_t kiln_graph_operator_count(const uint8_t* blob) { return field(blob, H_OPS); }

void kiln_graph_reset(const uint8_t* blob, const kiln_graph_firmware_t* fw) {
  uint32_t i;
  for (i = 0; i < field(blob, H_RESETS); ++i) {
    const uint8_t* r = blob + field(blob, H_RESET_TABLE) + RESET_RECORD * i;
    const uint32_t from = u32_at(r + 12);
    if (from & RESET_COPY)
      memcpy(fw->pools[u32_at(r)] + u32_at(r + 4), blob + field(blob, H_DATA) + (from & ~RESET_COPY), u32_at(r + 8));
    else
      memset(fw->pools[u32_at(r)] + u32_at(r + 4), (int)from, u32_at(r + 8));
  }
}

int32_t kiln_graph_run(const uint8_t* blob, const kiln_graph_firmware_t* fw, const void* const* inputs,
                       void* const* outputs, uint64_t* op_ticks) {
  const uint32_t ops = field(blob, H_OPS);
  uint32_t i;
  kiln_graph_call_t call;
  call.blob = blob;
  call.pools = fw->pools;
  call.inputs = inputs;
  call.outputs = outputs;
  for (i = 0; i < ops; ++i) {
    const uint8_t* op = blob + field(blob, H_OP_TABLE) + OP_RECORD * i;
    int32_t status;
#ifdef KILN_PROFILE
    const uint64_t start = kiln_platform_ticks();
#endif
    call.values = blob + field(blob, H_VALUE_TABLE) + VALUE_RECORD * u32_at(op + 8);
    call.value_count = u32_at(op + 12);
    status = find_kernel(fw, u64_at(op))->entry(&call);
#ifdef KILN_PROFILE
    if (op_ticks != NULL) op_ticks[i] = kiln_platform_ticks() - start;
#else
    (void)op_ticks;
#endif
    if (status != KILN_OK) return status;
  }
  return KILN_OK;
}

/* ---- values, as a call reads them ------------------------------------------ */

static const uint8_t* value_record(const kiln_graph_call_t* call, uint32_t k) { return call->values + VALUE_RECORD * k; }

int64_t kiln_graph_int(const kiln_graph_call_t* call, uint32_t k) { return (int64_t)u64_at(value_record(call, k) + 8); }

float kiln_graph_f32(const kiln_graph_call_t* call, uint32_t k) {
  const uint32_t bits = u32_at(value_record(call, k) + 8);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

double kiln_graph_f64(const kiln_graph_call_t* call, uint32_t k) {
  const uint64_t bits = u64_at(value_record(call, k) + 8);
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

void* kiln_graph_ptr(const kiln_graph_call_t* call, uint32_t k) {
  const uint8_t* v = value_record(call, k);
  const uint32_t index = u32_at(v + 4);
  const uint32_t offset = (uint32_t)u64_at(v + 8);
  switch (u32_at(v)) {
    /* The blob is read-only; the kernels only read what DATA points at. */
    case KILN_GRAPH_DATA: return (void*)(uintptr_t)(call->blob + field(call->blob, H_DATA) + offset);
    case KILN_GRAPH_POOL: return call->pools[index] + offset;
    case KILN_GRAPH_INPUT: return (void*)(uintptr_t)call->inputs[index];
    case KILN_GRAPH_OUTPUT: return call->outputs[index];
    default: return NULL;
  }
}
