// Memory planners: algorithms that assign each buffer an offset in its
// pool. They are interchangeable (`kiln compile --planner NAME`); every plan
// they produce goes through VerifyPlan before code generation.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "memory/memory_plan.h"
#include "memory/pools.h"
#include "support/status.h"

namespace kiln {

struct PlannerInfo {
  std::string_view name;
  std::string_view description;
  /// Sets Buffer::offset for every buffer of `pool` in `buffers`.
  void (*place)(std::vector<Buffer*>& buffers);
};

/// All planners; the first is the default.
std::span<const PlannerInfo> AllPlanners();

/// Runs planner `name` over every pool of `plan`'s buffers (from
/// ComputeBuffers), fills pool sizes and verifies the result. The state pool
/// is always laid out linearly (it lives throughout).
/// With `pools.pools`, buffers (state too) go to the read-write pools in
/// order: pinned ones where pinned, the rest to the first pool, moving the
/// topmost movable buffer on to the next pool while a pool overflows; an
/// error names the buffer that fits nowhere, its size and the free space.
Expected<MemoryPlan> PlanMemory(MemoryPlan plan, std::string_view planner, const PoolOptions& pools = {});
/// The same for bare buffers (no aliases, no declared streams).
Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner);

/// Checks, independently of any planner, that every buffer is placed,
/// aligned and inside its pool, and that no two buffers of a pool that are
/// live at the same time overlap, except an operator's output over its
/// input by at least the distance their declared access pattern
/// (plan.streams) proves safe.
Status VerifyPlan(const MemoryPlan& plan);

// The algorithms (one file each).
void PlaceGreedyBySize(std::vector<Buffer*>& buffers);
void PlaceLinear(std::vector<Buffer*>& buffers);

}  // namespace kiln
