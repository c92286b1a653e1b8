/* Kiln device protocol: the on-device server (see kiln/rpc/server.h and
 * docs/rpc-protocol.md). C99, no malloc, no stdio. Written in the common
 * subset of C99 and C++ (explicit casts, no designated initializers) so
 * that the host test suite can compile this very file into its fakes. */
#include "kiln/rpc/server.h"

#include "kiln/rpc/platform.h"
#if KILN_RPC_CAPTURE_BYTES > 0
#include "kiln/rpc/capture.h"
#endif

/* ---- little-endian helpers ---------------------------------------------- */

static void put_u16(uint8_t* p, uint16_t v) {
  p[0] = (uint8_t)(v & 0xFFu);
  p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t* p, uint32_t v) {
  p[0] = (uint8_t)(v & 0xFFu);
  p[1] = (uint8_t)((v >> 8) & 0xFFu);
  p[2] = (uint8_t)((v >> 16) & 0xFFu);
  p[3] = (uint8_t)(v >> 24);
}

static void put_u64(uint8_t* p, uint64_t v) {
  put_u32(p, (uint32_t)(v & 0xFFFFFFFFu));
  put_u32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get_u16(const uint8_t* p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static uint32_t get_u32(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* ---- CRC-32 ---------------------------------------------------------------- */

uint32_t kiln_rpc_crc32(uint32_t crc, const uint8_t* data, size_t size) {
  /* Bitwise: a table would cost 1 KB of flash for speed nobody needs here. */
  size_t i;
  int bit;
  crc = ~crc;
  for (i = 0; i < size; ++i) {
    crc ^= data[i];
    for (bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

/* ---- descriptor check ------------------------------------------------------ */

static int check_tensors(const kiln_rpc_tensor_t* t, uint8_t count) {
  uint8_t k;
  if (count > 0 && t == NULL) return 1;
  for (k = 0; k < count; ++k) {
    if (t[k].rank > KILN_RPC_MAX_RANK) return 1;
    if (t[k].bytes > 0 && t[k].data == NULL) return 1;
  }
  return 0;
}

int kiln_rpc_check_model(const kiln_rpc_model_t* model) {
  if (model == NULL || model->run == NULL) return 1;
  if ((unsigned)model->input_count + (unsigned)model->output_count > KILN_RPC_MAX_IO) return 1;
  if (check_tensors(model->inputs, model->input_count)) return 1;
  if (check_tensors(model->outputs, model->output_count)) return 1;
  return 0;
}

/* ---- responses ------------------------------------------------------------- */

/* Writes one byte of a frame, escaped. */
static void write_escaped(const uint8_t* data, size_t size) {
  size_t i;
  uint8_t esc[2];
  for (i = 0; i < size; ++i) {
    if (data[i] == KILN_RPC_FLAG || data[i] == KILN_RPC_ESCAPE) {
      esc[0] = KILN_RPC_ESCAPE;
      esc[1] = (uint8_t)(data[i] ^ KILN_RPC_ESCAPE_XOR);
      kiln_platform_write(esc, 2);
    } else {
      kiln_platform_write(data + i, 1);
    }
  }
}

/* Sends server->tx[0 .. tx_len) (body and CRC) as one frame. */
static void send_tx(const kiln_rpc_server_t* server) {
  static const uint8_t flag = KILN_RPC_FLAG;
  kiln_platform_write(&flag, 1);
  write_escaped(server->tx, server->tx_len);
  kiln_platform_write(&flag, 1);
}

/* Completes the response whose payload (payload_len bytes) is already at
 * tx + KILN_RPC_RESPONSE_HEADER: fills the header, appends the CRC, sends. */
static void respond(kiln_rpc_server_t* server, uint8_t type, uint16_t seq, uint8_t status,
                    size_t payload_len) {
  uint8_t* tx = server->tx;
  size_t body = KILN_RPC_RESPONSE_HEADER + payload_len;
  tx[0] = (uint8_t)(type | KILN_RPC_RESPONSE_BIT);
  put_u16(tx + 1, seq);
  tx[3] = status;
  put_u16(tx + 4, server->session);
  put_u32(tx + body, kiln_rpc_crc32(0, tx, body));
  server->tx_len = body + KILN_RPC_CRC_SIZE;
  server->last_type = type;
  server->last_seq = seq;
  send_tx(server);
}

/* Appends a length-prefixed name, cut to KILN_RPC_MAX_NAME bytes. */
static size_t put_name(uint8_t* p, const char* name) {
  size_t n = 0;
  if (name != NULL)
    while (name[n] != '\0' && n < KILN_RPC_MAX_NAME) {
      p[1 + n] = (uint8_t)name[n];
      ++n;
    }
  p[0] = (uint8_t)n;
  return 1 + n;
}

/* ---- handlers: each returns a status and sets *len to the payload size ---- */

static uint8_t handle_info(kiln_rpc_server_t* s, const uint8_t* in, size_t in_len, uint8_t* out,
                           size_t* len) {
  const kiln_rpc_model_t* m = s->model;
  size_t n = 0;
  if (in_len != 2) return KILN_RPC_BAD_REQUEST;
  s->session = get_u16(in); /* the host's id for this conversation */
  s->stack_high_water = 0;
  s->stack_painted = 0;
  put_u16(out + n, KILN_RPC_PROTOCOL_VERSION); n += 2;
  put_u16(out + n, KILN_RPC_MAX_PAYLOAD); n += 2;
  out[n++] = m->input_count;
  out[n++] = m->output_count;
  put_u32(out + n, m->workspace_bytes); n += 4;
  put_u32(out + n, m->state_bytes); n += 4;
  put_u16(out + n, m->operator_count); n += 2;
  put_u32(out + n, KILN_RPC_INSTRUCTIONS_PER_TICK); n += 4;
  out[n++] = (uint8_t)(m->op_ticks != NULL ? 1 : 0);
  n += put_name(out + n, m->model_name);
  n += put_name(out + n, m->module_name);
  n += put_name(out + n, kiln_platform_timer_unit());
  *len = n;
  return KILN_RPC_OK;
}

static uint8_t handle_tensor_info(kiln_rpc_server_t* s, const uint8_t* in, size_t in_len,
                                  uint8_t* out, size_t* len) {
  const kiln_rpc_tensor_t* t;
  size_t n = 0;
  uint8_t d;
  if (in_len != 2) return KILN_RPC_BAD_REQUEST;
  if (in[0] == 0 && in[1] < s->model->input_count) {
    t = &s->model->inputs[in[1]];
  } else if (in[0] == 1 && in[1] < s->model->output_count) {
    t = &s->model->outputs[in[1]];
  } else {
    return KILN_RPC_OUT_OF_RANGE;
  }
  out[n++] = t->dtype;
  out[n++] = t->rank;
  put_u32(out + n, t->bytes); n += 4;
  for (d = 0; d < t->rank; ++d) {
    put_u32(out + n, (uint32_t)t->shape[d]);
    n += 4;
  }
  n += put_name(out + n, t->name);
  *len = n;
  return KILN_RPC_OK;
}

/* Checks that [offset, offset + size) lies inside tensor `index`. */
static const kiln_rpc_tensor_t* tensor_range(const kiln_rpc_tensor_t* list, uint8_t count,
                                             uint8_t index, uint32_t offset, uint32_t size) {
  if (index >= count) return NULL;
  if (offset > list[index].bytes || size > list[index].bytes - offset) return NULL;
  return &list[index];
}

static uint8_t handle_set_input(kiln_rpc_server_t* s, const uint8_t* in, size_t in_len, size_t* len) {
  const kiln_rpc_tensor_t* t;
  uint32_t offset, size, i;
  if (in_len < 5) return KILN_RPC_BAD_REQUEST;
  offset = get_u32(in + 1);
  size = (uint32_t)(in_len - 5);
  t = tensor_range(s->model->inputs, s->model->input_count, in[0], offset, size);
  if (t == NULL) return KILN_RPC_OUT_OF_RANGE;
  for (i = 0; i < size; ++i) t->data[offset + i] = in[5 + i];
  *len = 0;
  return KILN_RPC_OK;
}

static uint8_t handle_get_output(kiln_rpc_server_t* s, const uint8_t* in, size_t in_len, uint8_t* out,
                                 size_t* len) {
  const kiln_rpc_tensor_t* t;
  uint32_t offset, size, i;
  if (in_len != 7) return KILN_RPC_BAD_REQUEST;
  offset = get_u32(in + 1);
  size = get_u16(in + 5);
  if (size > KILN_RPC_MAX_PAYLOAD) return KILN_RPC_OUT_OF_RANGE;
  t = tensor_range(s->model->outputs, s->model->output_count, in[0], offset, size);
  if (t == NULL) return KILN_RPC_OUT_OF_RANGE;
  for (i = 0; i < size; ++i) out[i] = t->data[offset + i];
  *len = size;
  return KILN_RPC_OK;
}

/* ---- stack measurement: paint below this frame, run, see how deep it went ---- */

#define KILN_STACK_PAINT 0xA5C3A5C3u
/* Bytes left unpainted below the measuring frame's locals: room for the
 * rest of that frame (the painting loop itself calls nothing). */
#define KILN_STACK_GUARD 64u

/* Runs the model once between timer reads; with a known stack limit, also
 * records how many stack bytes the call took: from this frame's locals
 * down to the deepest word run() overwrote (a few bytes more than run()'s
 * own frames; a run that stays within the guard reports the guard). */
static int32_t run_measured(kiln_rpc_server_t* s, uint64_t* ticks) {
  const uintptr_t limit = kiln_platform_stack_limit();
  volatile uintptr_t here = 0; /* its address marks this frame */
  uintptr_t low = 0, high = 0, p;
  int32_t status;
  here = (uintptr_t)&here;
  if (limit != 0 && here > limit + KILN_STACK_GUARD) {
    high = (here - KILN_STACK_GUARD) & ~(uintptr_t)3u;
    low = (high - limit > KILN_RPC_STACK_PAINT_BYTES ? high - KILN_RPC_STACK_PAINT_BYTES : limit + 3u) &
          ~(uintptr_t)3u;
    for (p = low; p < high; p += 4u) *(volatile uint32_t*)p = KILN_STACK_PAINT;
  }
#if KILN_RPC_CAPTURE_BYTES > 0
  kiln_rpc_capture_begin_run();
#endif
  kiln_platform_timer_start();
  status = s->model->run();
  *ticks = kiln_platform_timer_stop();
  if (high != 0) {
    uint32_t used;
    for (p = low; p < high && *(volatile const uint32_t*)p == KILN_STACK_PAINT; p += 4u) {
    }
    used = (uint32_t)(here - p);
    if (used > s->stack_high_water) s->stack_high_water = used;
    s->stack_painted = (uint32_t)(here - low);
  }
  return status;
}

static uint8_t handle_run(kiln_rpc_server_t* s, size_t in_len, uint8_t* out, size_t* len) {
  int32_t status;
  uint64_t ticks;
  if (in_len != 0) return KILN_RPC_BAD_REQUEST;
  status = run_measured(s, &ticks);
  put_u32(out, (uint32_t)status);
  put_u64(out + 4, ticks);
  *len = 12;
  return status == 0 ? KILN_RPC_OK : KILN_RPC_MODEL_ERROR;
}

static uint8_t handle_time(kiln_rpc_server_t* s, const uint8_t* in, size_t in_len, uint8_t* out,
                           size_t* len) {
  uint32_t runs, done = 0;
  int32_t status = 0;
  uint64_t total = 0, ticks = 0;
  if (in_len != 4) return KILN_RPC_BAD_REQUEST;
  runs = get_u32(in);
  /* Timed one run at a time so that the loop itself is not counted. */
  while (done < runs && status == 0) {
    status = run_measured(s, &ticks);
    total += ticks;
    ++done;
  }
  put_u32(out, (uint32_t)status);
  put_u32(out + 4, done);
  put_u64(out + 8, total);
  *len = 16;
  return status == 0 ? KILN_RPC_OK : KILN_RPC_MODEL_ERROR;
}

/* CORE: the processor's identification registers, as the core itself
 * reports them, so the host can refuse a build that needs a feature this
 * core lacks (src/target/device_core.h decodes them). Read on request
 * only: a core without them never reaches this code unasked. */
static uint8_t handle_core(size_t in_len, uint8_t* out, size_t* len) {
  uint32_t ids[5];
  uint8_t arch = KILN_RPC_CORE_UNKNOWN, count = 0, i;
  if (in_len != 0) return KILN_RPC_BAD_REQUEST;
#if defined(__arm__) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
  /* The System Control Space: CPUID, ID_ISAR0, ID_ISAR3 and, where an FPU
   * or MVE may be, MVFR0 and MVFR1 (read as zero on cores without). */
  arch = KILN_RPC_CORE_ARM_M;
  ids[0] = *(volatile const uint32_t*)0xE000ED00u;
  ids[1] = *(volatile const uint32_t*)0xE000ED60u;
  ids[2] = *(volatile const uint32_t*)0xE000ED6Cu;
#if __ARM_ARCH >= 7
  ids[3] = *(volatile const uint32_t*)0xE000EF40u;
  ids[4] = *(volatile const uint32_t*)0xE000EF44u;
#else
  ids[3] = ids[4] = 0; /* Armv6-M: no FPU, no MVFR registers */
#endif
  count = 5;
#elif defined(__riscv) && __riscv_xlen == 32
  /* Machine-mode CSRs; GCC 12 needs Zicsr named for csrr (see riscv_virt.c). */
  arch = KILN_RPC_CORE_RISCV;
  __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, misa\n.option pop" : "=r"(ids[0]));
  __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, mvendorid\n.option pop" : "=r"(ids[1]));
  __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, marchid\n.option pop" : "=r"(ids[2]));
  __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, mimpid\n.option pop" : "=r"(ids[3]));
  count = 4;
#endif
  out[0] = arch;
  out[1] = count;
  for (i = 0; i < count; ++i) put_u32(out + 2 + 4 * i, ids[i]);
  *len = 2 + 4 * (size_t)count;
  return KILN_RPC_OK;
}

/* STACK: the deepest run() since INFO, and how far the painting reached
 * (a high-water mark equal to it means "at least that much"). */
static uint8_t handle_stack(kiln_rpc_server_t* s, size_t in_len, uint8_t* out, size_t* len) {
  if (in_len != 0) return KILN_RPC_BAD_REQUEST;
  if (s->stack_painted == 0) return KILN_RPC_NOT_AVAILABLE;
  put_u32(out, s->stack_high_water);
  put_u32(out + 4, s->stack_painted);
  *len = 8;
  return KILN_RPC_OK;
}

static uint8_t handle_profile(kiln_rpc_server_t* s, const uint8_t* in, size_t in_len, uint8_t* out,
                              size_t* len) {
  const size_t per_frame = (KILN_RPC_MAX_PAYLOAD - 5) / 8;
  uint16_t first, count, i;
  if (in_len != 2) return KILN_RPC_BAD_REQUEST;
  if (s->model->op_ticks == NULL) return KILN_RPC_NOT_AVAILABLE;
  first = get_u16(in);
  if (first > s->model->operator_count) return KILN_RPC_OUT_OF_RANGE;
  count = (uint16_t)(s->model->operator_count - first);
  if (count > per_frame) count = (uint16_t)per_frame;
  put_u16(out, s->model->operator_count);
  put_u16(out + 2, first);
  out[4] = (uint8_t)count;
  for (i = 0; i < count; ++i) put_u64(out + 5 + 8 * i, s->model->op_ticks[first + i]);
  *len = 5 + 8 * (size_t)count;
  return KILN_RPC_OK;
}

/* CAPTURE and CAPTURE_READ (debug builds): the host sets the window of the
 * tensor stream that runs keep, runs, and reads the window back. */
#if KILN_RPC_CAPTURE_BYTES > 0
static uint8_t handle_capture(const uint8_t* in, size_t in_len, uint8_t* out, size_t* len) {
  if (in_len != 4) return KILN_RPC_BAD_REQUEST;
  kiln_rpc_capture_set_window(get_u32(in));
  put_u32(out, (uint32_t)KILN_RPC_CAPTURE_BYTES);
  *len = 4;
  return KILN_RPC_OK;
}

static uint8_t handle_capture_read(const uint8_t* in, size_t in_len, uint8_t* out, size_t* len) {
  const uint8_t* data = kiln_rpc_capture_data();
  uint32_t offset, size, i, kept = kiln_rpc_capture_kept_bytes();
  if (in_len != 6) return KILN_RPC_BAD_REQUEST;
  offset = get_u32(in);
  size = get_u16(in + 4);
  if (size > KILN_RPC_MAX_PAYLOAD - 4 || offset > kept || size > kept - offset) return KILN_RPC_OUT_OF_RANGE;
  put_u32(out, kiln_rpc_capture_stream_bytes());
  for (i = 0; i < size; ++i) out[4 + i] = data[offset + i];
  *len = 4 + (size_t)size;
  return KILN_RPC_OK;
}
#endif

/* Handles the request in server->rx[0 .. body_len), CRC already checked. */
static void dispatch(kiln_rpc_server_t* s, size_t body_len) {
  const uint8_t type = s->rx[0];
  const uint16_t seq = get_u16(s->rx + 1);
  const uint8_t* in = s->rx + KILN_RPC_REQUEST_HEADER;
  const size_t in_len = body_len - KILN_RPC_REQUEST_HEADER;
  uint8_t* out = s->tx + KILN_RPC_RESPONSE_HEADER;
  size_t len = 0;
  uint8_t status;
  if (type & KILN_RPC_RESPONSE_BIT) return; /* our own echo, or noise */
  /* A retransmission (the host lost our response): repeat the response,
   * without running the request again. INFO always runs: it starts a
   * conversation, and running it twice is harmless. */
  if (s->tx_len != 0 && type != KILN_RPC_INFO && type == s->last_type && seq == s->last_seq) {
    send_tx(s);
    return;
  }
  /* After a reboot, refuse everything but INFO: the request belongs to a
   * conversation whose inputs and state this device no longer has. */
  if (type != KILN_RPC_INFO && s->session == 0) {
    respond(s, type, seq, KILN_RPC_NO_SESSION, 0);
    return;
  }
  switch (type) {
    case KILN_RPC_INFO: status = handle_info(s, in, in_len, out, &len); break;
    case KILN_RPC_TENSOR_INFO: status = handle_tensor_info(s, in, in_len, out, &len); break;
    case KILN_RPC_SET_INPUT: status = handle_set_input(s, in, in_len, &len); break;
    case KILN_RPC_RUN: status = handle_run(s, in_len, out, &len); break;
    case KILN_RPC_GET_OUTPUT: status = handle_get_output(s, in, in_len, out, &len); break;
    case KILN_RPC_TIME: status = handle_time(s, in, in_len, out, &len); break;
    case KILN_RPC_PROFILE: status = handle_profile(s, in, in_len, out, &len); break;
    case KILN_RPC_STACK: status = handle_stack(s, in_len, out, &len); break;
    case KILN_RPC_CORE: status = handle_core(in_len, out, &len); break;
#if KILN_RPC_CAPTURE_BYTES > 0
    case KILN_RPC_CAPTURE: status = handle_capture(in, in_len, out, &len); break;
    case KILN_RPC_CAPTURE_READ: status = handle_capture_read(in, in_len, out, &len); break;
#else
    case KILN_RPC_CAPTURE:
    case KILN_RPC_CAPTURE_READ: status = KILN_RPC_NOT_AVAILABLE; break;
#endif
    case KILN_RPC_RESET:
      status = in_len == 0 ? KILN_RPC_OK : KILN_RPC_BAD_REQUEST;
      if (status == KILN_RPC_OK && s->model->reset != NULL) s->model->reset();
      break;
    default: status = KILN_RPC_UNKNOWN_TYPE; break;
  }
  /* Errors carry no payload, except a failed run, which reports the model's status. */
  if (status != KILN_RPC_OK && status != KILN_RPC_MODEL_ERROR) len = 0;
  respond(s, type, seq, status, len);
}

/* ---- framing ---------------------------------------------------------------- */

void kiln_rpc_server_init(kiln_rpc_server_t* server, const kiln_rpc_model_t* model) {
  server->model = model;
  server->rx_len = 0;
  server->rx_escaped = 0;
  server->rx_overflow = 0;
  server->tx_len = 0;
  server->last_type = 0;
  server->last_seq = 0;
  server->session = 0;
  server->dropped_frames = 0;
  server->stack_high_water = 0;
  server->stack_painted = 0;
}

static void end_frame(kiln_rpc_server_t* s) {
  const size_t n = s->rx_len;
  const int bad = s->rx_overflow || s->rx_escaped;
  s->rx_len = 0;
  s->rx_overflow = 0;
  s->rx_escaped = 0;
  if (n == 0 && !bad) return; /* back-to-back flags: idle line */
  if (bad || n < KILN_RPC_REQUEST_HEADER + KILN_RPC_CRC_SIZE ||
      kiln_rpc_crc32(0, s->rx, n - KILN_RPC_CRC_SIZE) != get_u32(s->rx + n - KILN_RPC_CRC_SIZE)) {
    ++s->dropped_frames;
    return;
  }
  dispatch(s, n - KILN_RPC_CRC_SIZE);
}

void kiln_rpc_server_feed(kiln_rpc_server_t* s, uint8_t byte) {
  if (byte == KILN_RPC_FLAG) {
    end_frame(s);
    return;
  }
  if (s->rx_overflow) return;
  if (byte == KILN_RPC_ESCAPE && !s->rx_escaped) {
    s->rx_escaped = 1;
    return;
  }
  if (s->rx_escaped) {
    /* Only the two special bytes may be escaped; anything else is noise. */
    byte = (uint8_t)(byte ^ KILN_RPC_ESCAPE_XOR);
    s->rx_escaped = 0;
    if (byte != KILN_RPC_FLAG && byte != KILN_RPC_ESCAPE) {
      s->rx_overflow = 1; /* poisons the frame: dropped at the next flag */
      return;
    }
  }
  if (s->rx_len == sizeof(s->rx)) {
    s->rx_overflow = 1;
    return;
  }
  s->rx[s->rx_len++] = byte;
}

int kiln_rpc_serve(const kiln_rpc_model_t* model) {
  static kiln_rpc_server_t server;
  uint8_t byte;
  if (kiln_rpc_check_model(model) != 0) kiln_platform_abort();
  kiln_rpc_server_init(&server, model);
  while (kiln_platform_read_byte(&byte) == 0) kiln_rpc_server_feed(&server, byte);
  return 0;
}
