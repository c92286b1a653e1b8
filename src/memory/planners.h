// Memory planners: algorithms that assign each buffer an offset in its
// pool. They are interchangeable (`kiln compile --planner NAME`); every plan
// they produce goes through VerifyPlan before code generation.
//
// A planner sees the buffers of one pool only, as independent blocks (size,
// alignment, live interval): aliasing and declared overlaps are merged into
// single buffers before planners run. The list of planners is
// memory/planners.def; docs/memory-planning.md says how to add one.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "memory/memory_plan.h"
#include "memory/pools.h"
#include "support/status.h"

namespace kiln {

/// Knobs of the planners. Every planner is deterministic for given buffers
/// and options, except `optimal` when it hits its time limit (it says so in
/// its note).
struct PlannerOptions {
  /// Seed of the randomised planners (hill-climb).
  uint64_t seed = 1;
  /// Wall-time budget of the exact search (optimal), for the whole plan:
  /// PlanMemory shares it among the pools. When it runs out, the best
  /// placement found so far is kept and the note says so.
  double time_limit_seconds = 0.8;
  /// Iterations of hill-climb; 0 picks a budget from the problem size (a
  /// function of the buffers only, so results stay reproducible).
  int64_t iterations = 0;
  /// The pool's size is its highest buffer end rounded up to this; optimal
  /// minimises that rounded size. PlanMemory sets it.
  int64_t pool_alignment = 16;
  /// optimal: start the search from hill-climb's plan when it is better
  /// than the greedy ones (more pruning). Tests of the search itself turn
  /// it off.
  bool optimal_starts_from_hill_climb = true;
};

/// Places `buffers` (all of one pool): sets Buffer::offset of every one of
/// them so that no two that are live at the same time overlap and each is
/// aligned. Returns a note for the user (empty when there is nothing to
/// say), e.g. that a search was cut short.
using PlaceFn = std::string (*)(std::vector<Buffer*>& buffers, const PlannerOptions& options);

struct PlannerInfo {
  std::string_view name;
  std::string_view description;
  PlaceFn place;
};

/// All planners, in the order of planners.def; the first is the default.
std::span<const PlannerInfo> AllPlanners();

/// The planner called `name` (or one of its old spellings, such as
/// "greedy_by_size"), or nullptr.
const PlannerInfo* FindPlanner(std::string_view name);

/// Every spelling FindPlanner accepts: the names, then the aliases.
std::vector<std::string> AcceptedPlannerNames();

/// Runs planner `name` over every pool of `plan`'s buffers (from
/// ComputeBuffers), fills pool sizes, lower bounds, peak steps and notes,
/// and verifies the result. Without `pools.pools` there is one workspace
/// pool and a state pool laid out linearly (it lives throughout). With
/// them, buffers (state too) go to the read-write pools in order: pinned
/// ones where pinned, the rest to the first pool, moving the topmost
/// movable buffer on to the next pool while a pool overflows; an error
/// names the buffer that fits nowhere, its size and the free space.
Expected<MemoryPlan> PlanMemory(MemoryPlan plan, std::string_view planner, const PlannerOptions& options = {},
                                const PoolOptions& pools = {});
/// The same for bare buffers (no aliases, no declared streams).
Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner);
Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner,
                                const PlannerOptions& options);

/// Checks, independently of any planner, that every buffer is placed,
/// aligned and inside its pool, and that no two buffers of a pool that are
/// live at the same time overlap, except an operator's output over its
/// input by at least the distance their declared access pattern
/// (plan.streams) proves safe. It trusts nothing a planner says.
Status VerifyPlan(const MemoryPlan& plan);

/// The largest sum of the sizes of buffers live at one step: no placement
/// of `buffers` can fit in fewer bytes. Buffers of every pool count, so
/// pass one pool's buffers.
/// An output streaming over its input (Buffer::streams_from) counts as
/// max(output, distance + input) at their common step.
int64_t LowerBound(const std::vector<Buffer*>& buffers);
int64_t LowerBound(const std::vector<Buffer>& buffers);
/// The bound of whole operator inputs and outputs (declared overlaps
/// ignored), the one an arena planner without access patterns is held to.
int64_t LayerWiseLowerBound(const std::vector<Buffer*>& buffers);
/// A bound at least as high, for planners: offsets are multiples of the
/// alignments' gcd g, so each buffer but the topmost takes its size rounded
/// up to g. (The highest end of any placement is at least this.)
int64_t AlignmentAwareLowerBound(const std::vector<Buffer*>& buffers);
/// The first step (node position) where LowerBound is reached; -1 when
/// there is no buffer of non-zero size.
int PeakStep(const std::vector<Buffer*>& buffers);

// The algorithms (one file each; see planners.def).
#define KILN_PLANNER(name, function, description) \
  std::string function(std::vector<Buffer*>& buffers, const PlannerOptions& options);
#include "memory/planners.def"
#undef KILN_PLANNER

}  // namespace kiln
