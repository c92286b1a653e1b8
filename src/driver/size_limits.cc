#include "driver/size_limits.h"

#include <fmt/format.h>

namespace kiln {
namespace {

std::string Figure(int64_t bytes) {
  return fmt::format("{} bytes; a 32-bit target holds at most {} in one object", bytes, kMaxObjectBytes);
}

}  // namespace

Status CheckTensorSizes(const Graph& graph) {
  int64_t constants = 0;
  for (const Tensor& t : graph.tensors) {
    // Each factor is below 2^31 (the importers check), so the product fits.
    const int64_t bytes = t.bytes();
    if (bytes > kMaxObjectBytes)
      return MakeError("tensor '{}' ({}{}) is too large: {}", t.name, DTypeName(t.dtype), ShapeString(t.shape),
                       Figure(bytes));
    if (t.is_constant) constants += bytes;
  }
  if (constants > kMaxObjectBytes) return MakeError("the model's constants are too large: {}", Figure(constants));
  return Status::Ok();
}

Status CheckGeneratedSizes(const GeneratedCode& code) {
  const MemoryPlan& plan = code.plan;
  for (const Buffer& b : plan.buffers)
    if (b.size > kMaxObjectBytes)
      return MakeError("buffer {}{} is too large: {}", b.name,
                       b.tensor_name.empty() ? "" : fmt::format(" (tensor '{}')", b.tensor_name), Figure(b.size));
  for (const auto& [pool, bytes] : plan.pool_sizes)
    if (bytes > kMaxObjectBytes) return MakeError("pool '{}' would need {}", pool, Figure(bytes));
  if (code.constant_bytes > kMaxObjectBytes)
    return MakeError("the constants laid out for the kernels are too large: {}", Figure(code.constant_bytes));
  return Status::Ok();
}

}  // namespace kiln
