/* Kiln device protocol: the on-device server. It reads request frames from
 * the host through the platform hooks (kiln/rpc/platform.h), runs the model
 * described by a kiln_rpc_model_t and writes response frames back. The
 * wire format is specified in docs/rpc-protocol.md. C99, no malloc, no
 * stdio: all state is one kiln_rpc_server_t of fixed size. */
#ifndef KILN_RPC_SERVER_H_
#define KILN_RPC_SERVER_H_

#include <stddef.h>
#include <stdint.h>

#include "kiln/rpc/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Frame bytes: delimiter, escape, and the XOR applied to an escaped byte. */
#define KILN_RPC_FLAG 0x7E
#define KILN_RPC_ESCAPE 0x7D
#define KILN_RPC_ESCAPE_XOR 0x20

/* Header sizes of a frame body (before the payload); 4 CRC bytes follow it. */
#define KILN_RPC_REQUEST_HEADER 3  /* type u8, seq u16 */
#define KILN_RPC_RESPONSE_HEADER 6 /* type u8, seq u16, status u8, session u16 */
#define KILN_RPC_CRC_SIZE 4
#define KILN_RPC_MAX_BODY (KILN_RPC_RESPONSE_HEADER + KILN_RPC_MAX_PAYLOAD + KILN_RPC_CRC_SIZE)

/* Message types (requests); a response has the request's type | 0x80. */
enum {
  KILN_RPC_INFO = 0x01,
  KILN_RPC_TENSOR_INFO = 0x02,
  KILN_RPC_SET_INPUT = 0x03,
  KILN_RPC_RUN = 0x04,
  KILN_RPC_GET_OUTPUT = 0x05,
  KILN_RPC_TIME = 0x06,
  KILN_RPC_PROFILE = 0x07,
  KILN_RPC_RESET = 0x08,
  KILN_RPC_STACK = 0x09,
  KILN_RPC_CORE = 0x0A,
  KILN_RPC_CAPTURE = 0x0B,     /* debug builds: which window of the tensor stream runs keep */
  KILN_RPC_CAPTURE_READ = 0x0C /* debug builds: bytes of the kept window */
};

/* CORE's architecture byte: how to read the identification registers after it. */
enum {
  KILN_RPC_CORE_UNKNOWN = 0, /* no registers (a host build) */
  KILN_RPC_CORE_ARM_M = 1,   /* CPUID, ID_ISAR0, ID_ISAR3, MVFR0, MVFR1 */
  KILN_RPC_CORE_RISCV = 2    /* misa, mvendorid, marchid, mimpid */
};
#define KILN_RPC_RESPONSE_BIT 0x80

/* Response status codes. */
enum {
  KILN_RPC_OK = 0,
  KILN_RPC_UNKNOWN_TYPE = 1,   /* the device does not know this message type */
  KILN_RPC_BAD_REQUEST = 2,    /* payload has the wrong length */
  KILN_RPC_OUT_OF_RANGE = 3,   /* index, offset or length outside the tensor */
  KILN_RPC_NOT_AVAILABLE = 4,  /* e.g. PROFILE on a build without operator hooks */
  KILN_RPC_MODEL_ERROR = 5,    /* the model's run() returned non-zero */
  KILN_RPC_NO_SESSION = 6      /* no INFO since boot: the device reset, nothing was run */
};

/* Data type codes, the order of Kiln's IR (src/ir/dtype.h). */
enum {
  KILN_RPC_FLOAT32 = 0,
  KILN_RPC_INT8 = 1,
  KILN_RPC_UINT8 = 2,
  KILN_RPC_INT16 = 3,
  KILN_RPC_INT32 = 4,
  KILN_RPC_INT64 = 5,
  KILN_RPC_BOOL = 6
};

/* One model input or output and the static buffer that holds it. */
typedef struct {
  const char* name;                   /* the tensor's name in the model */
  uint8_t dtype;                      /* KILN_RPC_FLOAT32 ... */
  uint8_t rank;                       /* <= KILN_RPC_MAX_RANK */
  int32_t shape[KILN_RPC_MAX_RANK];   /* the first `rank` entries are used */
  uint32_t bytes;                     /* size of `data` */
  uint8_t* data;                      /* static buffer the run callback uses */
} kiln_rpc_tensor_t;

/* Everything the server knows about the model it serves. Usually generated
 * by Kiln (src/rpc/descriptor_codegen.h). */
typedef struct {
  const char* model_name;
  const char* module_name;
  uint8_t input_count;
  uint8_t output_count;               /* inputs + outputs <= KILN_RPC_MAX_IO */
  const kiln_rpc_tensor_t* inputs;
  const kiln_rpc_tensor_t* outputs;
  uint32_t workspace_bytes;           /* planned pool sizes, for INFO */
  uint32_t state_bytes;
  uint16_t operator_count;
  int32_t (*run)(void);               /* one inference on the static buffers; 0 = ok */
  void (*reset)(void);                /* variable tensors back to their start; may be NULL */
  const uint64_t* op_ticks;           /* operator_count ticks of the last run, or NULL */
} kiln_rpc_model_t;

/* The server's whole state: a frame being received, and the last response
 * (kept so that a retransmitted request is answered without running it
 * twice). */
typedef struct {
  const kiln_rpc_model_t* model;
  uint8_t rx[KILN_RPC_REQUEST_HEADER + KILN_RPC_MAX_PAYLOAD + KILN_RPC_CRC_SIZE];
  size_t rx_len;
  int rx_escaped;     /* the previous byte was KILN_RPC_ESCAPE */
  int rx_overflow;    /* the frame being received is too long: dropped at its end */
  uint8_t tx[KILN_RPC_MAX_BODY];
  size_t tx_len;      /* 0: no response to repeat */
  uint8_t last_type;
  uint16_t last_seq;
  uint16_t session;   /* set by INFO; 0 after boot */
  uint32_t dropped_frames;
  uint32_t stack_high_water; /* most stack bytes a run() used since INFO */
  uint32_t stack_painted;    /* bytes the measurement covered (0: none yet) */
} kiln_rpc_server_t;

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of `size` bytes, continued
 * from `crc` (start with 0). */
uint32_t kiln_rpc_crc32(uint32_t crc, const uint8_t* data, size_t size);

/* Returns 0 when the descriptor is within the limits of config.h. */
int kiln_rpc_check_model(const kiln_rpc_model_t* model);

/* Prepares `server` for `model` (as after a device boot). */
void kiln_rpc_server_init(kiln_rpc_server_t* server, const kiln_rpc_model_t* model);

/* Feeds one received byte; when it completes a valid request, handles it
 * and writes the response through kiln_platform_write. Bad frames (CRC,
 * length, escaping) are dropped silently: the host retries. */
void kiln_rpc_server_feed(kiln_rpc_server_t* server, uint8_t byte);

/* The server loop: checks the descriptor (kiln_platform_abort() if it is
 * invalid), then reads and serves bytes until kiln_platform_read_byte
 * fails. Returns 0 then. */
int kiln_rpc_serve(const kiln_rpc_model_t* model);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RPC_SERVER_H_ */
