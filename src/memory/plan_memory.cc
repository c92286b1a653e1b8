// Drives the planners over each pool and verifies what they produce.
#include <algorithm>
#include <set>

#include "memory/planners.h"

namespace kiln {
namespace {

constexpr PlannerInfo kPlanners[] = {
    {"greedy_by_size", "largest first, lowest free offset among live buffers", &PlaceGreedyBySize},
    {"linear", "no reuse: every buffer its own bytes", &PlaceLinear},
};

int64_t AlignUp(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace

std::span<const PlannerInfo> AllPlanners() { return kPlanners; }

Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner) {
  const PlannerInfo* info = nullptr;
  for (const PlannerInfo& p : kPlanners) {
    if (p.name == planner) info = &p;
  }
  if (info == nullptr) return MakeError("unknown memory planner '{}'", planner);

  MemoryPlan plan;
  plan.planner = std::string(planner);
  plan.buffers = std::move(buffers);
  std::set<std::string> pools = {kWorkspacePool, kStatePool};
  for (const Buffer& b : plan.buffers) pools.insert(b.pool);
  for (const std::string& pool : pools) {
    std::vector<Buffer*> members;
    for (Buffer& b : plan.buffers) {
      if (b.pool == pool) members.push_back(&b);
    }
    if (pool == kStatePool) PlaceLinear(members);
    else info->place(members);
    int64_t size = 0;
    for (const Buffer* b : members) size = std::max(size, b->offset + b->size);
    plan.pool_sizes[pool] = AlignUp(size, 16);
  }
  KILN_RETURN_IF_ERROR(VerifyPlan(plan));
  return plan;
}

Status VerifyPlan(const MemoryPlan& plan) {
  for (size_t i = 0; i < plan.buffers.size(); ++i) {
    const Buffer& a = plan.buffers[i];
    if (a.offset < 0) return MakeError("memory plan: buffer {} was not placed", a.name);
    if (a.offset % a.alignment != 0)
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
