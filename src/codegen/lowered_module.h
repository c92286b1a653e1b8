// A model lowered and planned, before any executor writes it out: each
// node's C (params declarations and kernel calls, with symbolic buffer
// names t<id> and s<k>), the data those name, and where the plan put
// every buffer. The AoT emitter (generate_c.cc) and the graph executor's
// (graph_module.cc) both start here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "memory/memory_plan.h"

namespace kiln {

/// What one node's lowering produced, before memory is planned.
struct LoweredNode {
  std::vector<std::string> declarations;
  std::vector<std::string> statements;
};

struct LoweredModule {
  const Graph* graph = nullptr;
  std::string module;  ///< kiln_<module>
  std::vector<LoweredNode> nodes;
  /// The params arrays the lowerings declared (const_int_array,
  /// const_float_array), by C name: their bytes, little-endian.
  std::map<std::string, std::vector<uint8_t>> param_arrays;
  /// The constant tensors the lowerings read, by C name.
  std::map<std::string, int> constants;
  /// Tensor id -> its planned buffer (aliases resolved); scratch k -> its buffer.
  std::map<int, const Buffer*> placed;
  std::map<int, const Buffer*> scratch;
  /// The read-write pools and their sizes, by name.
  std::map<std::string, int64_t> ram_pools;
  int64_t state_bytes = 0;
};

/// The byte reset() fills a variable with: its initial value's when every
/// byte of it is the same, else none (the emitter copies the value); for a
/// variable without one, TFLite Micro's: int8 state its zero point, the rest 0.
inline std::optional<uint8_t> VariableResetFill(const Tensor& t) {
  if (t.initial_value.empty())
    return static_cast<uint8_t>(((!t.quant.empty() && t.dtype == DType::kInt8) ? t.quant.zero_point[0] : 0) & 0xff);
  for (uint8_t b : t.initial_value)
    if (b != t.initial_value[0]) return std::nullopt;
  return t.initial_value[0];
}

}  // namespace kiln
