// Request/response with retransmission over an unreliable link; see session.h.
#include "rpc/session.h"

#include <random>

namespace kiln::rpc {
namespace {

uint16_t RandomNonZero() {
  std::random_device rd;
  uint16_t v = 0;
  while (v == 0) v = static_cast<uint16_t>(rd());
  return v;
}

}  // namespace

std::string_view MsgTypeName(MsgType type) {
  switch (type) {
    case MsgType::kInfo: return "INFO";
    case MsgType::kTensorInfo: return "TENSOR_INFO";
    case MsgType::kSetInput: return "SET_INPUT";
    case MsgType::kRun: return "RUN";
    case MsgType::kGetOutput: return "GET_OUTPUT";
    case MsgType::kTime: return "TIME";
    case MsgType::kProfile: return "PROFILE";
    case MsgType::kReset: return "RESET";
    case MsgType::kStack: return "STACK";
    case MsgType::kCore: return "CORE";
    case MsgType::kCapture: return "CAPTURE";
    case MsgType::kCaptureRead: return "CAPTURE_READ";
  }
  return "unknown";
}

std::string_view RpcStatusName(uint8_t status) {
  switch (static_cast<RpcStatus>(status)) {
    case RpcStatus::kOk: return "ok";
    case RpcStatus::kUnknownType: return "unknown message type";
    case RpcStatus::kBadRequest: return "malformed request";
    case RpcStatus::kOutOfRange: return "index, offset or length out of range";
    case RpcStatus::kNotAvailable: return "not available in this device build";
    case RpcStatus::kModelError: return "the model's run() failed";
    case RpcStatus::kNoSession: return "no session open (the device reset)";
  }
  return "unknown status";
}

Session::Session(Transport& transport, SessionOptions options)
    : transport_(transport),
      options_(options),
      decoder_(kHostMaxBody),
      next_seq_(options.first_seq != 0 ? options.first_seq : RandomNonZero()),
      session_id_(options.session_id != 0 ? options.session_id : RandomNonZero()) {
  if (options_.attempts < 1) options_.attempts = 1;
}

Error Session::Fail(CallFailure why, Error error) {
  last_failure_ = why;
  return error;
}

Expected<Response> Session::Call(MsgType type, std::span<const uint8_t> payload,
                                 std::optional<std::chrono::milliseconds> timeout) {
  const std::string_view name = MsgTypeName(type);
  last_failure_ = CallFailure::kNone;
  if (type != MsgType::kInfo && !established_)
    return Fail(CallFailure::kNotOpen, MakeError("device protocol: {} sent before INFO opened a session", name));
  const uint16_t seq = next_seq_++;
  std::vector<uint8_t> body = {static_cast<uint8_t>(type), static_cast<uint8_t>(seq & 0xFF),
                               static_cast<uint8_t>(seq >> 8)};
  body.insert(body.end(), payload.begin(), payload.end());
  const std::vector<uint8_t> frame = EncodeFrame(body);
  const auto wait = timeout.value_or(options_.timeout);

  std::vector<std::vector<uint8_t>> frames;
  std::vector<uint8_t> buffer(512);
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    if (attempt > 0) ++stats_.retransmissions;
    if (Status written = transport_.Write(frame); !written.ok())
      return Fail(CallFailure::kLinkClosed, written.error());
    const auto deadline = Clock::now() + wait;
    while (true) {
      const size_t dropped_before = decoder_.dropped();
      Expected<size_t> read = transport_.Read(buffer, deadline);
      if (!read.ok()) return Fail(CallFailure::kLinkClosed, Error{read.message()});
      const size_t n = *read;
      if (n == 0) break;  // this attempt timed out: retransmit
      frames.clear();
      decoder_.Feed(std::span(buffer).first(n), frames);
      const size_t newly_dropped = decoder_.dropped() - dropped_before;
      stats_.dropped_frames += newly_dropped;
      for (const auto& f : frames) {
        if (f.size() < kResponseHeader || !(f[0] & kResponseBit)) {
          ++stats_.stale_frames;  // not a response (e.g. an echo of our request)
          continue;
        }
        const uint16_t got_seq = static_cast<uint16_t>(f[1] | (f[2] << 8));
        if (got_seq != seq) {
          ++stats_.stale_frames;  // answer to an earlier attempt or call
          continue;
        }
        if ((f[0] & ~kResponseBit) != static_cast<uint8_t>(type))
          return Fail(CallFailure::kProtocolError,
                      MakeError("device protocol: the response to {} (seq {}) is of type 0x{:02x}", name, seq,
                                f[0] & ~kResponseBit));
        const uint16_t got_session = static_cast<uint16_t>(f[4] | (f[5] << 8));
        if (got_session != session_id_) {
          ++stats_.device_resets;
          return Fail(CallFailure::kDeviceReset,
                      MakeError("device protocol: the device reset during the session (its session id is {}, "
                                "expected {}); the model's inputs and state are lost: reconnect and start again",
                                got_session, session_id_));
        }
        if (type == MsgType::kInfo && f[3] == static_cast<uint8_t>(RpcStatus::kOk)) established_ = true;
        return Response{f[3], std::vector<uint8_t>(f.begin() + kResponseHeader, f.end())};
      }
      // A corrupt frame may have been our response: send again now rather
      // than wait out the deadline.
      if (newly_dropped > 0 && frames.empty()) break;
    }
  }
  ++stats_.unanswered_calls;
  return Fail(CallFailure::kNoAnswer,
              MakeError("device protocol: the device did not answer {} (seq {}) after {} attempt(s) of {} ms each",
                        name, seq, options_.attempts, wait.count()));
}

}  // namespace kiln::rpc
