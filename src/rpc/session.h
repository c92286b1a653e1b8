// Request/response over a Transport (docs/rpc-protocol.md): numbers each
// request, waits for the response with the same number, retransmits after a
// timeout or a corrupt frame, ignores stale responses, and detects a device
// that reset (its session id no longer matches) or stopped answering. Every
// call returns within attempts * timeout; it never returns another
// request's data.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rpc/frame.h"
#include "rpc/protocol.h"
#include "rpc/transport.h"
#include "support/status.h"

namespace kiln::rpc {

/// Timeouts and retries of a Session.
struct SessionOptions {
  /// How long one attempt waits for its response.
  std::chrono::milliseconds timeout{1000};
  /// Attempts per call (1 = no retransmission).
  int attempts = 4;
  /// First sequence number and session id; random when 0 (tests pin them).
  uint16_t first_seq = 0;
  uint16_t session_id = 0;
};

/// A decoded response.
struct Response {
  uint8_t status = 0;            ///< RpcStatus
  std::vector<uint8_t> payload;  ///< after the response header
};

/// Counters for diagnostics and tests.
struct SessionStats {
  size_t retransmissions = 0;   ///< requests sent again after a timeout or a corrupt frame
  size_t dropped_frames = 0;    ///< corrupt frames received
  size_t stale_frames = 0;      ///< valid frames for another request
  size_t device_resets = 0;     ///< calls answered with another session id
  size_t unanswered_calls = 0;  ///< calls that ran out of attempts
};

/// Why the last Call failed, so that a caller can tell a link or device
/// failure it may recover from (rpc/recovering_client.h) from the rest.
enum class CallFailure {
  kNone,           ///< the last call returned a Response
  kNotOpen,        ///< a request other than INFO before INFO opened the session
  kLinkClosed,     ///< the transport failed (e.g. the emulator exited)
  kNoAnswer,       ///< every attempt timed out
  kDeviceReset,    ///< the answer carried another session id: the device rebooted
  kProtocolError,  ///< the answer to this seq was of another type
};

class Session {
 public:
  Session(Transport& transport, SessionOptions options = {});

  /// Sends a request and returns its response, retransmitting as needed.
  /// `timeout` overrides options.timeout for this call (e.g. TIME of many
  /// runs). A response with a non-ok status is returned as a value: the
  /// caller knows what the status means for its request.
  Expected<Response> Call(MsgType type, std::span<const uint8_t> payload,
                          std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  /// The id sent with INFO; every later response must carry it.
  uint16_t session_id() const { return session_id_; }
  /// True after an INFO call succeeded.
  bool established() const { return established_; }
  const SessionStats& stats() const { return stats_; }
  CallFailure last_failure() const { return last_failure_; }

 private:
  Error Fail(CallFailure why, Error error);

  Transport& transport_;
  SessionOptions options_;
  FrameDecoder decoder_;
  uint16_t next_seq_;
  uint16_t session_id_;
  bool established_ = false;
  SessionStats stats_;
  CallFailure last_failure_ = CallFailure::kNone;
};

}  // namespace kiln::rpc
