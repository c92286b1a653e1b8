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

struct Buffer;  // memory/memory_plan.h

struct PoolSpec {
  std::string name;       ///< a C identifier: names kiln_<module>_<name>[]
  int64_t capacity = 0;   ///< bytes; 0: as large as the plan needs
  bool read_only = false; ///< holds constants (flash), not buffers
  /// Of the pool's start and of every buffer in it: a power of two, at least
  /// kPoolAlignment (16; memory/memory_plan.h). E.g. 32 for a cache line.
  int64_t alignment = 16;
};

/// "sram:65536", "dtcm:16K", "flash:1M:ro", "sram:64K:align=32" (K = 1024,
/// M = 1024 * 1024; after the size, "ro" and "align=N" in any order).
Expected<PoolSpec> ParsePoolSpec(std::string_view text);

/// "KEY=pool", KEY one of: a tensor's name in the model or "%<id>" (that
/// buffer); "op:CLASS" (every buffer an operator of that class writes, its
/// scratch included: "op:CONV_2D"); "scratch" (every scratch buffer).
Expected<std::pair<std::string, std::string>> ParsePin(std::string_view text);

/// The pin a buffer follows, most specific first: its own name or its
/// tensor's, then its operator class, then "scratch". Null when none.
const std::string* FindPin(const std::map<std::string, std::string>& pins, const Buffer& b,
                           std::string* key = nullptr);

/// What the planner is asked for, besides the buffers.
struct PoolOptions {
  /// Read-write pools take buffers in this order: a buffer goes to the
  /// first with room. Empty: one unbounded "workspace" pool, and variable
  /// tensors in a "state" pool.
  std::vector<PoolSpec> pools;
  /// Pin key (ParsePin) -> pool its buffers must go to.
  std::map<std::string, std::string> pins;
};

/// The alignment of `pool`: its --pool's, else kPoolAlignment.
int64_t PoolAlignment(const PoolOptions& options, std::string_view pool);

}  // namespace kiln
