// Inferences that survive a device reset; see recovering_client.h.
#include "rpc/recovering_client.h"

#include <algorithm>

namespace kiln::rpc {
namespace {

size_t Chunks(size_t bytes, size_t per_call) { return bytes == 0 ? 1 : (bytes + per_call - 1) / per_call; }

}  // namespace

RecoveringClient::RecoveringClient(DeviceClient& client, RecoveryPolicy policy)
    : client_(client), policy_(policy), reopen_(!client.has_info()) {
  if (client.has_info()) model_ = client.info();
}

bool RecoveringClient::LostDevice() const {
  const CallFailure why = client_.session().last_failure();
  return why == CallFailure::kDeviceReset || why == CallFailure::kNoAnswer;
}

Status RecoveringClient::Reopen() {
  KILN_ASSIGN_OR_RETURN(const DeviceInfo after, client_.Info());
  if (!model_) model_ = after;
  const DeviceInfo& before = *model_;
  auto sizes = [](const std::vector<DeviceTensor>& tensors) {
    std::vector<uint32_t> bytes;
    for (const DeviceTensor& t : tensors) bytes.push_back(t.bytes);
    return bytes;
  };
  // The inputs are about to be sent again: they must still fit.
  if (after.module_name != before.module_name || sizes(after.inputs) != sizes(before.inputs) ||
      sizes(after.outputs) != sizes(before.outputs))
    return MakeError("after it reset, the device runs another model (module '{}', was '{}')", after.module_name,
                     before.module_name);
  reopen_ = false;
  return Status::Ok();
}

Expected<std::vector<std::vector<uint8_t>>> RecoveringClient::Try(std::span<const std::vector<uint8_t>> inputs) {
  if (reopen_) KILN_RETURN_IF_ERROR(Reopen());
  if (inputs.size() != client_.info().inputs.size())
    return MakeError("the model has {} input(s), {} given", client_.info().inputs.size(), inputs.size());
  if (policy_.reset_state_first) KILN_RETURN_IF_ERROR(client_.Reset());
  for (size_t k = 0; k < inputs.size(); ++k) KILN_RETURN_IF_ERROR(client_.SetInput(k, inputs[k]));
  KILN_RETURN_IF_ERROR(client_.Run());
  std::vector<std::vector<uint8_t>> outputs;
  for (size_t k = 0; k < client_.info().outputs.size(); ++k) {
    KILN_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, client_.GetOutput(k));
    outputs.push_back(std::move(bytes));
  }
  return outputs;
}

Expected<std::vector<std::vector<uint8_t>>> RecoveringClient::Infer(std::span<const std::vector<uint8_t>> inputs) {
  ++counts_.inferences;
  for (int restart = 0;; ++restart) {
    auto outputs = Try(inputs);
    if (outputs.ok()) {
      ++counts_.succeeded;
      if (restart > 0) ++counts_.recovered;
      return outputs;
    }
    // A refused request, a failed run() or a closed link: starting again
    // would meet the same end.
    if (!LostDevice()) {
      ++counts_.failed;
      return outputs;
    }
    reopen_ = true;
    if (!policy_.reset_state_first && client_.info().state_bytes != 0) {
      ++counts_.failed;
      return MakeError("{} (not started again: the model's {} bytes of state, carried from one inference to the "
                       "next, may be lost or advanced)",
                       outputs.message(), client_.info().state_bytes);
    }
    if (restart == policy_.max_restarts) {
      ++counts_.failed;
      return MakeError("{} (after {} restart(s) of the inference)", outputs.message(), restart);
    }
    ++counts_.restarts;
  }
}

std::chrono::milliseconds WorstCaseInferenceTime(const DeviceInfo& info, const RecoveryPolicy& policy,
                                                 const SessionOptions& session) {
  size_t calls = 1 + info.inputs.size() + info.outputs.size();  // INFO and TENSOR_INFO, to re-open
  if (policy.reset_state_first) ++calls;
  for (const DeviceTensor& t : info.inputs) calls += Chunks(t.bytes, info.max_payload - kSetInputHeader);
  ++calls;  // RUN
  for (const DeviceTensor& t : info.outputs) calls += Chunks(t.bytes, info.max_payload);
  const int64_t tries = policy.max_restarts + 1;
  const int64_t attempts = std::max(session.attempts, 1);
  return session.timeout * (attempts * tries * static_cast<int64_t>(calls));
}

}  // namespace kiln::rpc
