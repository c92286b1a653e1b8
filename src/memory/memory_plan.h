// The memory plan: every buffer the generated code uses at run time, each
// pinned at a fixed offset in a named pool. This is the contract between
// the planners, the verifier, the code generator and the MLF metadata.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "memory/access_pattern.h"
#include "memory/pools.h"

namespace kiln {

/// Pool of activations and operator scratch, reused over time.
inline constexpr const char* kWorkspacePool = "workspace";
/// Pool of variable tensors (state kept from one run to the next).
inline constexpr const char* kStatePool = "state";
/// Pool sizes are rounded up to this, so a pool can follow another.
inline constexpr int64_t kPoolAlignment = 16;

struct Buffer {
  enum class Kind { kTensor, kScratch };
  Kind kind = Kind::kTensor;
  /// Tensor id for kTensor; the index of the request for kScratch.
  int id = 0;
  /// For diagnostics and the plan dump: "%34" or "scratch#3".
  std::string name;
  /// The tensor's name in the model (kTensor), for messages and --pin.
  std::string tensor_name;
  /// The operator class that writes it ("CONV_2D"; empty for a model
  /// input), for `--pin op:CLASS=POOL`. Reshapes that alias write nothing.
  std::string op;
  int64_t size = 0;
  int64_t alignment = 16;
  /// Live interval in node positions (inclusive): [first_use, last_use].
  int first_use = 0;
  int last_use = 0;
  std::string pool = kWorkspacePool;
  /// Assigned by a planner; -1 until then.
  int64_t offset = -1;
  /// Set when the operator that writes this buffer streams over another
  /// (memory/access_pattern.h): this buffer may overlap the buffer named
  /// `streams_from` if it starts at least `stream_distance` bytes below it.
  std::string streams_from;
  int64_t stream_distance = 0;
};

struct MemoryPlan {
  std::vector<Buffer> buffers;
  /// Bytes each pool needs (end of its highest buffer, aligned).
  std::map<std::string, int64_t> pool_sizes;
  /// The user's pools (`--pool`), with capacities; empty for the default pools.
  std::vector<PoolSpec> pool_specs;
  /// Per pool: the largest sum of sizes of its buffers live at one step
  /// (LowerBound in planners.h); no plan of this order can be smaller.
  std::map<std::string, int64_t> lower_bounds;
  /// Per pool: the same without declared overlaps (whole inputs and outputs).
  std::map<std::string, int64_t> layer_wise_bounds;
  /// Per pool: the first node position where that sum is reached (-1 for
  /// a pool without buffers).
  std::map<std::string, int> peak_steps;
  /// Per pool: what the planner had to say (e.g. a search cut short by its
  /// time limit); pools without a note are absent.
  std::map<std::string, std::string> notes;
  /// The planner's canonical name (aliases resolved).
  std::string planner;
  /// Tensors that are another tensor's bytes (reshapes): tensor -> the
  /// tensor whose buffer holds them.
  std::map<int, int> aliases;
  /// The access patterns kernels declared, over buffer-owning tensors; the
  /// verifier derives every allowed overlap from these.
  std::vector<StreamingAccess> streams;

  int64_t pool_size(const std::string& pool) const {
    auto it = pool_sizes.find(pool);
    return it == pool_sizes.end() ? 0 : it->second;
  }
  int64_t lower_bound(const std::string& pool) const {
    auto it = lower_bounds.find(pool);
    return it == lower_bounds.end() ? 0 : it->second;
  }
};

}  // namespace kiln
