/* Kiln device protocol: the debug capture buffer (see kiln/rpc/capture.h).
 * C99, no malloc: one static buffer of KILN_RPC_CAPTURE_BYTES. */
#include "kiln/rpc/capture.h"

#include "kiln/runtime.h"

#if KILN_RPC_CAPTURE_BYTES <= 0
#error "capture.c is built only with KILN_RPC_CAPTURE_BYTES > 0"
#endif

static uint8_t capture_buffer[KILN_RPC_CAPTURE_BYTES];
static uint32_t window_start; /* stream offset of capture_buffer[0] */
static uint32_t stream_bytes; /* streamed so far in this run */

void kiln_rpc_capture_set_window(uint32_t skip) { window_start = skip; }

void kiln_rpc_capture_begin_run(void) { stream_bytes = 0; }

uint32_t kiln_rpc_capture_stream_bytes(void) { return stream_bytes; }

uint32_t kiln_rpc_capture_kept_bytes(void) {
  uint32_t kept;
  if (stream_bytes <= window_start) return 0;
  kept = stream_bytes - window_start;
  return kept < (uint32_t)KILN_RPC_CAPTURE_BYTES ? kept : (uint32_t)KILN_RPC_CAPTURE_BYTES;
}

const uint8_t* kiln_rpc_capture_data(void) { return capture_buffer; }

/* The hook the generated code calls after each operator: keeps the part of
 * this tensor that falls inside the window. */
void kiln_capture_tensor(uint16_t op, uint8_t output, const void* data, uint32_t bytes) {
  const uint8_t* p = (const uint8_t*)data;
  const uint32_t window_end = window_start + (uint32_t)KILN_RPC_CAPTURE_BYTES; /* may wrap: checked below */
  uint32_t first, last, i;
  (void)op;
  (void)output;
  if (bytes > UINT32_MAX - stream_bytes) bytes = UINT32_MAX - stream_bytes;
  /* The overlap of [stream_bytes, stream_bytes + bytes) with the window. */
  first = stream_bytes > window_start ? stream_bytes : window_start;
  last = stream_bytes + bytes;
  if (window_end > window_start && last > window_end) last = window_end;
  for (i = first; i < last; ++i) capture_buffer[i - window_start] = p[i - stream_bytes];
  stream_bytes += bytes;
}
