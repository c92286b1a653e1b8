// The high-level device protocol client; see device_client.h.
#include "rpc/device_client.h"

#include <algorithm>

#include "support/utf8.h"

namespace kiln::rpc {
namespace {

/// Bounds-checked little-endian reader over a response payload.
class Reader {
 public:
  explicit Reader(const std::vector<uint8_t>& data) : data_(data) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == data_.size(); }
  uint64_t Uint(int bytes) {
    if (!ok_ || data_.size() - pos_ < static_cast<size_t>(bytes)) {
      ok_ = false;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += bytes;
    return v;
  }
  std::string Name() {
    const size_t n = Uint(1);
    if (!ok_ || data_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    // Names are bytes from the device: printable before they reach a message.
    std::string s = PrintableName(std::string(data_.begin() + pos_, data_.begin() + pos_ + n));
    pos_ += n;
    return s;
  }

 private:
  const std::vector<uint8_t>& data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void PutLe(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

Error Malformed(MsgType type, size_t size) {
  return MakeError("device protocol: the device's {} response is malformed ({} payload bytes)",
                   MsgTypeName(type), size);
}

}  // namespace

DeviceClient::DeviceClient(Transport& transport, SessionOptions options) : session_(transport, options) {}

Expected<Response> DeviceClient::CallOk(MsgType type, std::span<const uint8_t> payload,
                                        std::optional<std::chrono::milliseconds> timeout) {
  KILN_ASSIGN_OR_RETURN(Response r, session_.Call(type, payload, timeout));
  if (r.status != static_cast<uint8_t>(RpcStatus::kOk) && r.status != static_cast<uint8_t>(RpcStatus::kModelError))
    return MakeError("device protocol: the device refused {}: {} (status {})", MsgTypeName(type),
                     RpcStatusName(r.status), r.status);
  return r;
}

Status DeviceClient::RequireInfo() const {
  if (!have_info_) return MakeError("device protocol: call Info() before talking to the model");
  return Status::Ok();
}

Expected<DeviceInfo> DeviceClient::Info() {
  have_info_ = false;
  std::vector<uint8_t> req;
  PutLe(req, session_.session_id(), 2);
  KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kInfo, req));
  Reader in(r.payload);
  DeviceInfo info;
  info.protocol_version = static_cast<uint16_t>(in.Uint(2));
  if (in.ok() && info.protocol_version != kProtocolVersion)
    return MakeError("device protocol: the device speaks protocol version {}, this Kiln speaks {}; rebuild the "
                     "device project with this Kiln",
                     info.protocol_version, kProtocolVersion);
  info.max_payload = static_cast<uint16_t>(in.Uint(2));
  const size_t input_count = in.Uint(1);
  const size_t output_count = in.Uint(1);
  info.workspace_bytes = static_cast<uint32_t>(in.Uint(4));
  info.state_bytes = static_cast<uint32_t>(in.Uint(4));
  info.operator_count = static_cast<uint16_t>(in.Uint(2));
  info.instructions_per_tick = static_cast<uint32_t>(in.Uint(4));
  info.profile_available = in.Uint(1) != 0;
  info.model_name = in.Name();
  info.module_name = in.Name();
  info.timer_unit = in.Name();
  if (!in.ok() || !in.at_end()) return Malformed(MsgType::kInfo, r.payload.size());
  if (info.max_payload < kMinMaxPayload)
    return MakeError("device protocol: the device's payload limit ({} bytes) is below the minimum of {}",
                     info.max_payload, kMinMaxPayload);
  for (int kind = 0; kind < 2; ++kind) {
    const size_t count = kind == 0 ? input_count : output_count;
    for (size_t k = 0; k < count; ++k) {
      const uint8_t q[2] = {static_cast<uint8_t>(kind), static_cast<uint8_t>(k)};
      KILN_ASSIGN_OR_RETURN(Response t, CallOk(MsgType::kTensorInfo, q));
      Reader tin(t.payload);
      DeviceTensor d;
      d.dtype = static_cast<uint8_t>(tin.Uint(1));
      const size_t rank = tin.Uint(1);
      d.bytes = static_cast<uint32_t>(tin.Uint(4));
      for (size_t i = 0; i < rank && tin.ok(); ++i) d.shape.push_back(static_cast<int32_t>(tin.Uint(4)));
      d.name = tin.Name();
      if (!tin.ok() || !tin.at_end()) return Malformed(MsgType::kTensorInfo, t.payload.size());
      (kind == 0 ? info.inputs : info.outputs).push_back(std::move(d));
    }
  }
  info_ = std::move(info);
  have_info_ = true;
  return info_;
}

Status DeviceClient::CheckInterface(const ModelInterface& mi) const {
  KILN_RETURN_IF_ERROR(RequireInfo());
  if (info_.module_name != mi.module_name)
    return MakeError("the device runs module '{}', not '{}'", info_.module_name, mi.module_name);
  auto check = [](const char* kind, const std::vector<DeviceTensor>& dev, const std::vector<IoSpec>& want) -> Status {
    if (dev.size() != want.size())
      return MakeError("the device's model has {} {}s, the archive's {}", dev.size(), kind, want.size());
    for (size_t k = 0; k < dev.size(); ++k) {
      if (dev[k].dtype != static_cast<uint8_t>(want[k].dtype) || dev[k].bytes != static_cast<uint64_t>(want[k].bytes))
        return MakeError("{} {} differs: the device has dtype code {} and {} bytes, the archive {} ({}) and {} bytes",
                         kind, k, dev[k].dtype, dev[k].bytes, static_cast<int>(want[k].dtype),
                         DTypeName(want[k].dtype), want[k].bytes);
    }
    return Status::Ok();
  };
  KILN_RETURN_IF_ERROR(check("input", info_.inputs, mi.inputs));
  return check("output", info_.outputs, mi.outputs);
}

Status DeviceClient::SetInput(size_t k, std::span<const uint8_t> bytes) {
  KILN_RETURN_IF_ERROR(RequireInfo());
  if (k >= info_.inputs.size())
    return MakeError("input {} does not exist: the device's model has {} input(s)", k, info_.inputs.size());
  if (bytes.size() != info_.inputs[k].bytes)
    return MakeError("input {} ('{}') needs {} bytes, got {}", k, info_.inputs[k].name, info_.inputs[k].bytes,
                     bytes.size());
  const size_t chunk = info_.max_payload - kSetInputHeader;
  size_t offset = 0;
  do {
    const size_t n = std::min(chunk, bytes.size() - offset);
    std::vector<uint8_t> req;
    PutLe(req, k, 1);
    PutLe(req, offset, 4);
    req.insert(req.end(), bytes.begin() + offset, bytes.begin() + offset + n);
    KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kSetInput, req));
    if (!r.payload.empty()) return Malformed(MsgType::kSetInput, r.payload.size());
    offset += n;
  } while (offset < bytes.size());
  return Status::Ok();
}

Expected<RunResult> DeviceClient::Run() {
  KILN_RETURN_IF_ERROR(RequireInfo());
  KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kRun, {}));
  Reader in(r.payload);
  const int32_t model_status = static_cast<int32_t>(in.Uint(4));
  RunResult result{in.Uint(8)};
  if (!in.ok() || !in.at_end()) return Malformed(MsgType::kRun, r.payload.size());
  if (r.status == static_cast<uint8_t>(RpcStatus::kModelError))
    return MakeError("the model's run() returned {} on the device", model_status);
  return result;
}

Expected<std::vector<uint8_t>> DeviceClient::GetOutput(size_t k) {
  KILN_RETURN_IF_ERROR(RequireInfo());
  if (k >= info_.outputs.size())
    return MakeError("output {} does not exist: the device's model has {} output(s)", k, info_.outputs.size());
  const size_t total = info_.outputs[k].bytes;
  std::vector<uint8_t> out;  // not reserved: `total` is the device's word until the bytes arrive
  while (out.size() < total) {
    const size_t n = std::min<size_t>(info_.max_payload, total - out.size());
    std::vector<uint8_t> req;
    PutLe(req, k, 1);
    PutLe(req, out.size(), 4);
    PutLe(req, n, 2);
    KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kGetOutput, req));
    if (r.payload.size() != n) return Malformed(MsgType::kGetOutput, r.payload.size());
    out.insert(out.end(), r.payload.begin(), r.payload.end());
  }
  return out;
}

Expected<uint64_t> DeviceClient::Time(uint32_t runs, std::chrono::milliseconds timeout) {
  KILN_RETURN_IF_ERROR(RequireInfo());
  std::vector<uint8_t> req;
  PutLe(req, runs, 4);
  KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kTime, req, timeout));
  Reader in(r.payload);
  const int32_t model_status = static_cast<int32_t>(in.Uint(4));
  const uint32_t done = static_cast<uint32_t>(in.Uint(4));
  const uint64_t total = in.Uint(8);
  if (!in.ok() || !in.at_end()) return Malformed(MsgType::kTime, r.payload.size());
  if (r.status == static_cast<uint8_t>(RpcStatus::kModelError))
    return MakeError("the model's run() returned {} on the device, in timed run {} of {}", model_status, done, runs);
  if (done != runs) return MakeError("device protocol: TIME ran {} of {} runs", done, runs);
  return total;
}

Expected<std::vector<uint64_t>> DeviceClient::Profile() {
  KILN_RETURN_IF_ERROR(RequireInfo());
  std::vector<uint64_t> ticks;
  do {
    std::vector<uint8_t> req;
    PutLe(req, ticks.size(), 2);
    KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kProfile, req));
    Reader in(r.payload);
    const size_t count = in.Uint(2);
    const size_t first = in.Uint(2);
    const size_t n = in.Uint(1);
    if (!in.ok() || count != info_.operator_count || first != ticks.size() || (n == 0 && first < count))
      return Malformed(MsgType::kProfile, r.payload.size());
    for (size_t i = 0; i < n; ++i) ticks.push_back(in.Uint(8));
    if (!in.ok() || !in.at_end() || ticks.size() > count) return Malformed(MsgType::kProfile, r.payload.size());
  } while (ticks.size() < info_.operator_count);
  return ticks;
}

Status DeviceClient::Reset() {
  KILN_RETURN_IF_ERROR(RequireInfo());
  KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kReset, {}));
  if (!r.payload.empty()) return Malformed(MsgType::kReset, r.payload.size());
  return Status::Ok();
}

Expected<uint32_t> DeviceClient::SetCaptureWindow(uint32_t skip) {
  KILN_RETURN_IF_ERROR(RequireInfo());
  std::vector<uint8_t> req;
  PutLe(req, skip, 4);
  auto r = session_.Call(MsgType::kCapture, req);
  if (!r.ok()) return r.status();
  if (r->status == static_cast<uint8_t>(RpcStatus::kNotAvailable) ||
      r->status == static_cast<uint8_t>(RpcStatus::kUnknownType))
    return MakeError("the device's firmware has no capture buffer (a debug build has one: KILN_RPC_CAPTURE_BYTES)");
  if (r->status != static_cast<uint8_t>(RpcStatus::kOk))
    return MakeError("device protocol: the device refused CAPTURE: {} (status {})", RpcStatusName(r->status), r->status);
  Reader in(r->payload);
  const uint32_t capacity = static_cast<uint32_t>(in.Uint(4));
  if (!in.ok() || !in.at_end() || capacity == 0) return Malformed(MsgType::kCapture, r->payload.size());
  return capacity;
}

Expected<CaptureWindow> DeviceClient::ReadCapture(uint32_t length) {
  KILN_RETURN_IF_ERROR(RequireInfo());
  CaptureWindow window;
  do {  // at least one call, which reports stream_bytes
    const size_t n = std::min<size_t>(info_.max_payload - 4u, length - window.data.size());
    std::vector<uint8_t> req;
    PutLe(req, window.data.size(), 4);
    PutLe(req, n, 2);
    KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kCaptureRead, req));
    Reader in(r.payload);
    window.stream_bytes = static_cast<uint32_t>(in.Uint(4));
    if (!in.ok() || r.payload.size() != 4 + n) return Malformed(MsgType::kCaptureRead, r.payload.size());
    window.data.insert(window.data.end(), r.payload.begin() + 4, r.payload.end());
  } while (window.data.size() < length);
  return window;
}

Expected<std::vector<uint8_t>> DeviceClient::CaptureInference(uint32_t stream_bytes) {
  std::vector<uint8_t> stream;
  while (stream.size() < stream_bytes) {
    KILN_ASSIGN_OR_RETURN(const uint32_t capacity, SetCaptureWindow(static_cast<uint32_t>(stream.size())));
    KILN_RETURN_IF_ERROR(Reset());
    KILN_RETURN_IF_ERROR(Run().status());
    KILN_ASSIGN_OR_RETURN(const CaptureWindow size, ReadCapture(0));
    if (size.stream_bytes != stream_bytes)
      return MakeError("the device streamed {} bytes of tensors in a run, where the build streams {}",
                       size.stream_bytes, stream_bytes);
    const uint32_t want = std::min<uint32_t>(capacity, stream_bytes - static_cast<uint32_t>(stream.size()));
    KILN_ASSIGN_OR_RETURN(const CaptureWindow window, ReadCapture(want));
    stream.insert(stream.end(), window.data.begin(), window.data.end());
  }
  return stream;
}

Expected<StackUsage> DeviceClient::Stack() {
  KILN_RETURN_IF_ERROR(RequireInfo());
  KILN_ASSIGN_OR_RETURN(Response r, CallOk(MsgType::kStack, {}));
  Reader in(r.payload);
  StackUsage usage;
  usage.high_water_bytes = static_cast<uint32_t>(in.Uint(4));
  usage.painted_bytes = static_cast<uint32_t>(in.Uint(4));
  if (!in.ok() || !in.at_end()) return Malformed(MsgType::kStack, r.payload.size());
  return usage;
}

Expected<DeviceCore> DeviceClient::Core() {
  KILN_RETURN_IF_ERROR(RequireInfo());
  KILN_ASSIGN_OR_RETURN(Response r, session_.Call(MsgType::kCore, {}));
  DeviceCore core;
  if (r.status == static_cast<uint8_t>(RpcStatus::kUnknownType)) return core;
  if (r.status != static_cast<uint8_t>(RpcStatus::kOk))
    return MakeError("device protocol: the device refused CORE: {} (status {})", RpcStatusName(r.status), r.status);
  Reader in(r.payload);
  const uint64_t arch = in.Uint(1);
  const uint64_t count = in.Uint(1);
  for (uint64_t i = 0; in.ok() && i < count; ++i) core.ids.push_back(static_cast<uint32_t>(in.Uint(4)));
  if (!in.ok() || !in.at_end() || arch > static_cast<uint8_t>(CoreArch::kRiscV))
    return Malformed(MsgType::kCore, r.payload.size());
  core.reported = true;
  core.arch = static_cast<CoreArch>(arch);
  return core;
}

}  // namespace kiln::rpc
