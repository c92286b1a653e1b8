// Named memory pools: where the planner may put buffers (`--pool`), and
// which buffer must go where (`--pin`).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"

namespace kiln {

struct PoolSpec {
  std::string name;       ///< a C identifier: names kiln_<module>_<name>[]
  int64_t capacity = 0;   ///< bytes; 0: as large as the plan needs
  bool read_only = false; ///< holds constants (flash), not buffers
};

/// "sram:65536", "dtcm:16K", "flash:1M:ro" (K = 1024, M = 1024 * 1024).
Expected<PoolSpec> ParsePoolSpec(std::string_view text);

/// "tensor=pool": tensor is a tensor's name in the model or "%<id>".
Expected<std::pair<std::string, std::string>> ParsePin(std::string_view text);

/// What the planner is asked for, besides the buffers.
struct PoolOptions {
  /// Read-write pools take buffers in this order: a buffer goes to the
  /// first with room. Empty: one unbounded "workspace" pool, and variable
  /// tensors in a "state" pool.
  std::vector<PoolSpec> pools;
  /// Buffer name ("%<id>") -> pool it must go to.
  std::map<std::string, std::string> pins;
};

}  // namespace kiln
