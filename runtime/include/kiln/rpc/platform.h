/* Kiln device protocol: the platform hooks. A port of the server to a new
 * board implements these seven functions, in one small file, and nothing
 * else (docs/rpc-protocol.md). */
#ifndef KILN_RPC_PLATFORM_H_
#define KILN_RPC_PLATFORM_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sends `size` bytes to the host (e.g. a UART); returns when they are sent
 * or buffered. */
void kiln_platform_write(const uint8_t* data, size_t size);

/* Blocks until one byte from the host arrives and stores it in *byte.
 * Returns 0 on success, non-zero when the link is closed for good (the
 * server loop then returns). */
int kiln_platform_read_byte(uint8_t* byte);

/* Starts the timer that RUN, TIME and PROFILE read. */
void kiln_platform_timer_start(void);

/* Ticks since the matching kiln_platform_timer_start(). */
uint64_t kiln_platform_timer_stop(void);

/* What one tick is, for people: e.g. "instructions" or "40 instructions".
 * A static string of at most KILN_RPC_MAX_NAME bytes. */
const char* kiln_platform_timer_unit(void);

/* Lowest address the stack may grow down to (e.g. the end of .bss when
 * nothing is allocated), or 0 when unknown. The server paints the stack
 * below its own frame down to here before each run() and reads back how
 * deep run() went (the STACK request). */
uintptr_t kiln_platform_stack_limit(void);

/* Stops the device for good after an unrecoverable error. Never returns. */
void kiln_platform_abort(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RPC_PLATFORM_H_ */
