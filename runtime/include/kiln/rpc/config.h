/* Kiln device protocol: every limit of the on-device server, in one place.
 * Each value can be overridden with -D at build time; the host learns the
 * ones it depends on from the INFO reply (docs/rpc-protocol.md). */
#ifndef KILN_RPC_CONFIG_H_
#define KILN_RPC_CONFIG_H_

/* Protocol version reported by INFO; the host refuses any other. */
#define KILN_RPC_PROTOCOL_VERSION 1

/* Largest payload (bytes after the frame header) the device accepts in a
 * request or sends in a response. Bounds the server's two frame buffers. */
#ifndef KILN_RPC_MAX_PAYLOAD
#define KILN_RPC_MAX_PAYLOAD 256
#endif

/* Most inputs plus outputs a model descriptor may declare: a sanity bound
 * only (nothing is sized by it), at what the protocol's one-byte tensor
 * index addresses. */
#ifndef KILN_RPC_MAX_IO
#define KILN_RPC_MAX_IO 255
#endif

/* Most dimensions of an input or output shape. */
#ifndef KILN_RPC_MAX_RANK
#define KILN_RPC_MAX_RANK 8
#endif

/* Longest model or module name sent by INFO (longer names are cut). */
#ifndef KILN_RPC_MAX_NAME
#define KILN_RPC_MAX_NAME 48
#endif

/* Guest instructions per timer tick, when the platform timer counts
 * instructions (QEMU with -icount shift=0): 1 for RISC-V minstret, 40 for
 * the mps2-an386 CMSDK timer. 0 means the ticks are not instructions
 * (e.g. a host clock); the unit name then says what they are. */
#ifndef KILN_RPC_INSTRUCTIONS_PER_TICK
#define KILN_RPC_INSTRUCTIONS_PER_TICK 0
#endif

/* Most stack bytes painted below the server's frame before each run()
 * (bounded so painting stays cheap next to an inference); a run that goes
 * deeper is reported as "at least" this much. */
#ifndef KILN_RPC_STACK_PAINT_BYTES
#define KILN_RPC_STACK_PAINT_BYTES 65536
#endif

/* Bytes of the debug capture buffer (`kiln debug`): each run of a module
 * generated with capture hooks streams every operator's output through
 * kiln_capture_tensor(), and the buffer keeps one window of that stream for
 * the host to read (runtime/rpc/capture.c). 0: no capture support, no RAM. */
#ifndef KILN_RPC_CAPTURE_BYTES
#define KILN_RPC_CAPTURE_BYTES 0
#endif

#if KILN_RPC_MAX_PAYLOAD < 64 || KILN_RPC_MAX_PAYLOAD > 65535
#error "KILN_RPC_MAX_PAYLOAD must be between 64 and 65535"
#endif
#if KILN_RPC_MAX_IO < 1 || KILN_RPC_MAX_IO > 255
#error "KILN_RPC_MAX_IO must be between 1 and 255"
#endif

#endif /* KILN_RPC_CONFIG_H_ */
