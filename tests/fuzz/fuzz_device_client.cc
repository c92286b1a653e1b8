// libFuzzer target: the host side of the device protocol against a device
// that answers anything. The input is a script of what the device sends:
// records of [kind][length][bytes], where a record is either raw bytes on
// the wire (noise, partial frames) or a response body that the harness
// frames with a valid CRC, optionally stamped with the sequence number and
// session id the host expects (so that the fuzzer reaches what the client
// does with a response's payload, not only the CRC check). The client then
// runs what `kiln micro run/time` runs: INFO and TENSOR_INFO, SET_INPUT,
// RUN, GET_OUTPUT, TIME, PROFILE, STACK, RESET, and `kiln debug`'s
// capture (CAPTURE, RESET, RUN, CAPTURE_READ per window). Every call must return a
// value or an error, quickly: no crash, no hang, no unbounded memory.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "device/device_core.h"
#include "rpc/device_client.h"
#include "rpc/frame.h"

namespace {

using namespace kiln::rpc;

class ScriptedDevice : public Transport {
 public:
  ScriptedDevice(const uint8_t* data, size_t size) : script_(data, data + size) {}

  kiln::Status Write(std::span<const uint8_t> data) override {
    // Remember the sequence number of the request just sent.
    std::vector<std::vector<uint8_t>> frames;
    requests_.Feed(data, frames);
    for (const auto& body : frames)
      if (body.size() >= kRequestHeader) last_seq_ = static_cast<uint16_t>(body[1] | (body[2] << 8));
    return kiln::Status::Ok();
  }

  kiln::Expected<size_t> Read(std::span<uint8_t> buffer, Clock::time_point) override {
    if (pending_.empty() && !NextRecord()) return kiln::MakeError("the script ended: the link is closed");
    size_t n = 0;
    while (n < buffer.size() && !pending_.empty()) {
      buffer[n++] = pending_.front();
      pending_.pop_front();
    }
    return n;
  }

  uint16_t session_id = 0;

 private:
  bool NextRecord() {
    if (script_.size() - pos_ < 2) return false;
    const uint8_t kind = script_[pos_];
    const size_t length = std::min<size_t>(script_[pos_ + 1], script_.size() - pos_ - 2);
    std::vector<uint8_t> bytes(script_.begin() + pos_ + 2, script_.begin() + pos_ + 2 + length);
    pos_ += 2 + length;
    if ((kind & 1) == 0) {
      if ((kind & 2) != 0 && bytes.size() >= kResponseHeader) {
        bytes[1] = static_cast<uint8_t>(last_seq_), bytes[2] = static_cast<uint8_t>(last_seq_ >> 8);
        bytes[4] = static_cast<uint8_t>(session_id), bytes[5] = static_cast<uint8_t>(session_id >> 8);
      }
      bytes = EncodeFrame(bytes);
    }
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    return true;
  }

  std::vector<uint8_t> script_;
  size_t pos_ = 0;
  std::deque<uint8_t> pending_;
  FrameDecoder requests_{1 << 16};
  uint16_t last_seq_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ScriptedDevice device(data, size);
  SessionOptions options;
  options.timeout = std::chrono::milliseconds(50);
  options.attempts = 2;
  options.first_seq = 1;
  options.session_id = 0x4B4C;
  device.session_id = options.session_id;
  DeviceClient client(device, options);
  auto info = client.Info();
  if (!info.ok()) return 0;
  for (size_t k = 0; k < info->inputs.size(); ++k) {
    // A device may claim any size; the host sends only what a model has
    // (`kiln micro` checks the interface first), so bound it here too.
    if (info->inputs[k].bytes > (1u << 16)) return 0;
    if (!client.SetInput(k, std::vector<uint8_t>(info->inputs[k].bytes, 0x5A)).ok()) return 0;
  }
  if (!client.Run().ok()) return 0;
  for (size_t k = 0; k < info->outputs.size(); ++k)
    if (!client.GetOutput(k).ok()) return 0;
  (void)client.Time(3, std::chrono::milliseconds(50));
  (void)client.Profile();
  (void)client.Stack();
  // The core report is decoded into a name and features whatever it holds.
  if (auto core = client.Core(); core.ok()) (void)kiln::DecodeCore(*core);
  (void)client.Reset();
  (void)client.CaptureInference(8);
  return 0;
}
