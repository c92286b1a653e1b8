// The high-level client of the device protocol: what `kiln micro run/time`
// and `kiln run --device` call. It opens a session with INFO, checks the
// protocol version, and splits tensors into chunks that fit the device's
// payload limit. Every method returns a clear error instead of hanging.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mlf/model_library.h"
#include "rpc/protocol.h"
#include "rpc/session.h"

namespace kiln::rpc {

/// An input or output as the device describes it.
struct DeviceTensor {
  std::string name;
  uint8_t dtype = 0;  ///< kiln::DType's numeric value
  std::vector<int32_t> shape;
  uint32_t bytes = 0;
};

/// What INFO (plus one TENSOR_INFO per tensor) reports.
struct DeviceInfo {
  uint16_t protocol_version = 0;
  uint16_t max_payload = 0;
  std::string model_name;
  std::string module_name;
  uint32_t workspace_bytes = 0;
  uint32_t state_bytes = 0;
  uint16_t operator_count = 0;
  bool profile_available = false;
  std::string timer_unit;              ///< what a tick is, e.g. "instructions"
  uint32_t instructions_per_tick = 0;  ///< 0: ticks are not instructions
  std::vector<DeviceTensor> inputs;
  std::vector<DeviceTensor> outputs;
};

/// What CORE reports: the processor's identification registers
/// (device/device_core.h decodes them into a core and its features).
struct DeviceCore {
  bool reported = false;  ///< false: firmware from before CORE existed
  CoreArch arch = CoreArch::kUnknown;
  std::vector<uint32_t> ids;
};

/// One inference.
struct RunResult {
  uint64_t ticks = 0;
};

/// Stack use of run(), from the device's STACK reply.
struct StackUsage {
  uint32_t high_water_bytes = 0;
  uint32_t painted_bytes = 0;  ///< how deep the measurement reached
  /// run() used the whole painted region: the true use is at least that.
  bool at_least() const { return high_water_bytes >= painted_bytes; }
};

/// What the capture buffer of a debug build kept of the last run's tensor
/// stream (docs/rpc-protocol.md, CAPTURE).
struct CaptureWindow {
  uint32_t stream_bytes = 0;  ///< all the last run streamed
  std::vector<uint8_t> data;  ///< the window's bytes
};

class DeviceClient {
 public:
  explicit DeviceClient(Transport& transport, SessionOptions options = {});

  /// Opens (or re-opens) the session: INFO and TENSOR_INFO of every tensor.
  /// Fails when the device speaks another protocol version.
  Expected<DeviceInfo> Info();
  /// The result of the last successful Info().
  const DeviceInfo& info() const { return info_; }
  /// Whether the last Info() succeeded (and no Info() failed since).
  bool has_info() const { return have_info_; }

  /// Checks that the device runs the model `mi` describes (module name,
  /// tensor count, dtype and byte size of each tensor).
  Status CheckInterface(const ModelInterface& mi) const;

  /// Writes all of input k (exactly its byte size).
  Status SetInput(size_t k, std::span<const uint8_t> bytes);
  /// Runs one inference; returns the timer ticks it took.
  Expected<RunResult> Run();
  /// Reads all of output k.
  Expected<std::vector<uint8_t>> GetOutput(size_t k);
  /// Runs `runs` inferences; returns the sum of their ticks. `timeout`
  /// bounds the whole call (one attempt), since it may take long.
  Expected<uint64_t> Time(uint32_t runs, std::chrono::milliseconds timeout);
  /// Ticks of each operator in the last run.
  Expected<std::vector<uint64_t>> Profile();
  /// Puts the model's variable tensors back to their start.
  Status Reset();
  /// The core's identification registers. Firmware that does not know
  /// CORE answers "unknown type": reported = false, not an error.
  Expected<DeviceCore> Core();
  /// The deepest stack of any run() since INFO, measured on the device by
  /// stack painting; an error when the platform cannot measure it.
  Expected<StackUsage> Stack();

  /// Debug builds (KILN_RPC_CAPTURE_BYTES > 0): later runs keep the
  /// tensor stream's bytes from `skip` on; returns the buffer's size.
  Expected<uint32_t> SetCaptureWindow(uint32_t skip);
  /// The first `length` bytes the last run kept (no more than it kept;
  /// 0 asks only for stream_bytes).
  Expected<CaptureWindow> ReadCapture(uint32_t length);
  /// The whole tensor stream (`stream_bytes`, as the build says) of one
  /// inference on the inputs already set: one run per window of the
  /// capture buffer, each after RESET, so every window comes from the same
  /// inference from the initial state.
  Expected<std::vector<uint8_t>> CaptureInference(uint32_t stream_bytes);

  const Session& session() const { return session_; }

 private:
  Expected<Response> CallOk(MsgType type, std::span<const uint8_t> payload,
                            std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  Status RequireInfo() const;

  Session session_;
  DeviceInfo info_;
  bool have_info_ = false;
};

}  // namespace kiln::rpc
