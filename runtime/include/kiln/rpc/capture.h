/* Kiln device protocol: the debug capture buffer (`kiln debug`). A module
 * generated with capture hooks hands every operator's output, in execution
 * order, to kiln_capture_tensor() (declared in kiln/runtime.h); together
 * they form the run's tensor stream. The buffer keeps the window
 * [skip, skip + KILN_RPC_CAPTURE_BYTES) of it, so the host reads a stream
 * of any length, one window per run. Built only with
 * KILN_RPC_CAPTURE_BYTES > 0 (kiln/rpc/config.h). */
#ifndef KILN_RPC_CAPTURE_H_
#define KILN_RPC_CAPTURE_H_

#include <stdint.h>

#include "kiln/rpc/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The window later runs keep: stream bytes from `skip` on. */
void kiln_rpc_capture_set_window(uint32_t skip);
/* Called before each run: the stream starts again. */
void kiln_rpc_capture_begin_run(void);
/* Bytes the last run streamed (saturating at UINT32_MAX). */
uint32_t kiln_rpc_capture_stream_bytes(void);
/* Bytes of the window the last run filled, and the buffer holding them. */
uint32_t kiln_rpc_capture_kept_bytes(void);
const uint8_t* kiln_rpc_capture_data(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RPC_CAPTURE_H_ */
