// RAM per operator, from the memory plan: at each step (operator position)
// how many bytes of each read-write pool hold a live buffer. This is what
// the report draws as "RAM per operator"; its maximum is what the pools
// must hold at once.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::report {

/// Bytes in use while one operator runs, summed over the read-write pools.
struct StepUsage {
  int64_t tensor_bytes = 0;   ///< activations and variable tensors
  int64_t scratch_bytes = 0;  ///< the operator's scratch buffers
  int64_t total() const { return tensor_bytes + scratch_bytes; }
};

/// True for a buffer of operator scratch (named "scratch#K" by the planner).
bool IsScratchBuffer(const nlohmann::json& buffer);

/// One entry per step of `metadata["operators"]`. Bytes are counted once
/// where declared overlaps let buffers share them (the union of the live
/// buffers' byte ranges, per pool), so no step exceeds its pools' sizes.
std::vector<StepUsage> UsagePerStep(const nlohmann::json& metadata);

}  // namespace kiln::report
