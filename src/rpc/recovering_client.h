// Whole inferences over a link that may lose the device. When a call finds
// that the device rebooted (its session id changed) or stopped answering,
// the inference re-opens the session with INFO and starts again from its
// inputs, a bounded number of times; any other failure, or one more loss
// than allowed, is returned as a clear error. Starting again is only
// right when the result does not depend on what the device forgot, so it
// is done for models without state, or when each inference begins with
// RESET (RecoveryPolicy::reset_state_first); a stateful model that carries
// its state from one inference to the next gets an error instead.
// docs/rpc-protocol.md, "Recovery".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rpc/device_client.h"

namespace kiln::rpc {

struct RecoveryPolicy {
  /// How many times one inference may re-open the session and start again.
  int max_restarts = 2;
  /// Send RESET before the inputs, so that every inference starts from the
  /// model's initial state, as one after a reboot does.
  bool reset_state_first = false;
};

/// What happened to the inferences so far.
struct RecoveryCounts {
  size_t inferences = 0;  ///< Infer calls
  size_t succeeded = 0;
  size_t failed = 0;      ///< returned an error
  size_t restarts = 0;    ///< times an inference re-opened the session and began again
  size_t recovered = 0;   ///< inferences that succeeded after at least one restart
};

class RecoveringClient {
 public:
  /// `client` must outlive this object. The first inference opens the
  /// session (INFO) if `client` has not.
  explicit RecoveringClient(DeviceClient& client, RecoveryPolicy policy = {});

  /// One inference: RESET when the policy says so, every input, RUN,
  /// every output. Returns the outputs, or an error naming the failure
  /// (and, after restarts, how many).
  Expected<std::vector<std::vector<uint8_t>>> Infer(std::span<const std::vector<uint8_t>> inputs);

  const RecoveryCounts& counts() const { return counts_; }

 private:
  Expected<std::vector<std::vector<uint8_t>>> Try(std::span<const std::vector<uint8_t>> inputs);
  /// INFO (again); fails if, after a loss, another model answers.
  Status Reopen();
  /// The last call lost the device: it rebooted or stopped answering.
  bool LostDevice() const;

  DeviceClient& client_;
  RecoveryPolicy policy_;
  RecoveryCounts counts_;
  /// The session is not open, or an earlier inference lost the device:
  /// (re-)open it before the next call.
  bool reopen_;
  /// The model that answered the first INFO: a re-opened session must
  /// serve the same one.
  std::optional<DeviceInfo> model_;
};

/// The longest one Infer can take on the model `info` describes: every
/// call of every try (INFO and TENSOR_INFO to re-open, then the inference)
/// runs out of attempts. Time spent in the transport's writes (e.g. a
/// board reset) comes on top.
std::chrono::milliseconds WorstCaseInferenceTime(const DeviceInfo& info, const RecoveryPolicy& policy,
                                                 const SessionOptions& session);

}  // namespace kiln::rpc
