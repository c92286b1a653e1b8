// Drives the planners over each pool and verifies what they produce.
#include <algorithm>
#include <chrono>
#include <set>

#include "memory/order_placer.h"
#include "memory/planners.h"

namespace kiln {
namespace {

constexpr PlannerInfo kPlanners[] = {
#define KILN_PLANNER(name, function, description) {name, description, &function},
#include "memory/planners.def"
#undef KILN_PLANNER
};

/// Old spellings still accepted, and the planner they mean.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"greedy_by_size", "greedy-by-size"},
    {"greedy_by_conflicts", "greedy-by-conflicts"},
    {"hill_climb", "hill-climb"},
};

}  // namespace

std::span<const PlannerInfo> AllPlanners() { return kPlanners; }

const PlannerInfo* FindPlanner(std::string_view name) {
  for (const auto& [alias, canonical] : kAliases) {
    if (name == alias) name = canonical;
  }
  for (const PlannerInfo& p : kPlanners) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> AcceptedPlannerNames() {
  std::vector<std::string> names;
  for (const PlannerInfo& p : kPlanners) names.emplace_back(p.name);
  for (const auto& [alias, canonical] : kAliases) names.emplace_back(alias);
  return names;
}

Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner) {
  return PlanMemory(std::move(buffers), planner, PlannerOptions{});
}

Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner,
                                const PlannerOptions& options) {
  const PlannerInfo* info = FindPlanner(planner);
  if (info == nullptr) return MakeError("unknown memory planner '{}'", planner);

  const auto start = std::chrono::steady_clock::now();
  MemoryPlan plan;
  plan.planner = std::string(info->name);
  plan.buffers = std::move(buffers);
  std::set<std::string> pools = {kWorkspacePool, kStatePool};
  for (const Buffer& b : plan.buffers) pools.insert(b.pool);
  for (const std::string& pool : pools) {
    std::vector<Buffer*> members;
    for (Buffer& b : plan.buffers) {
      if (b.pool == pool) members.push_back(&b);
    }
    // The time limit is for the whole plan: each pool gets what is left.
    PlannerOptions pool_options = options;
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    pool_options.time_limit_seconds = std::max(0.0, options.time_limit_seconds - spent);
    pool_options.pool_alignment = kPoolAlignment;
    std::string note =
        pool == kStatePool ? PlaceLinear(members, pool_options) : info->place(members, pool_options);
    if (!note.empty()) plan.notes[pool] = std::move(note);
    int64_t size = 0;
    for (const Buffer* b : members) size = std::max(size, b->offset + b->size);
    plan.pool_sizes[pool] = RoundUp(size, kPoolAlignment);
    plan.lower_bounds[pool] = LowerBound(members);
    plan.peak_steps[pool] = PeakStep(members);
  }
  KILN_RETURN_IF_ERROR(VerifyPlan(plan));
  return plan;
}

Status VerifyPlan(const MemoryPlan& plan) {
  // Deliberately shares no code with the planners (not even order_placer.h):
  // it checks the offsets, nothing else.
  for (size_t i = 0; i < plan.buffers.size(); ++i) {
    const Buffer& a = plan.buffers[i];
    if (a.offset < 0) return MakeError("memory plan: buffer {} was not placed", a.name);
    if (a.alignment <= 0 || a.offset % a.alignment != 0)
      return MakeError("memory plan: buffer {} at offset {} is not {}-byte aligned", a.name,
                       a.offset, a.alignment);
    if (a.offset + a.size > plan.pool_size(a.pool))
      return MakeError("memory plan: buffer {} ends past pool '{}'", a.name, a.pool);
    for (size_t j = i + 1; j < plan.buffers.size(); ++j) {
      const Buffer& b = plan.buffers[j];
      if (a.pool != b.pool || a.size == 0 || b.size == 0) continue;
      const bool live_together = a.first_use <= b.last_use && b.first_use <= a.last_use;
      const bool overlap = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
      if (live_together && overlap)
        return MakeError("memory plan: buffers {} and {} are live together and overlap in pool '{}'",
                         a.name, b.name, a.pool);
    }
  }
  return Status::Ok();
}

}  // namespace kiln
