// Drives the planners over each pool and verifies what they produce.
#include <algorithm>
#include <set>

#include "memory/first_fit.h"
#include "memory/planners.h"

namespace kiln {
namespace {

constexpr PlannerInfo kPlanners[] = {
    {"greedy_by_size", "largest first, lowest free offset among live buffers", &PlaceGreedyBySize},
    {"linear", "no reuse: every buffer its own bytes", &PlaceLinear},
};

}  // namespace

std::span<const PlannerInfo> AllPlanners() { return kPlanners; }

Expected<MemoryPlan> PlanMemory(MemoryPlan plan, std::string_view planner) {
  const PlannerInfo* info = nullptr;
  for (const PlannerInfo& p : kPlanners) {
    if (p.name == planner) info = &p;
  }
  if (info == nullptr) return MakeError("unknown memory planner '{}'", planner);

  plan.planner = std::string(planner);
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

Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner) {
  MemoryPlan plan;
  plan.buffers = std::move(buffers);
  return PlanMemory(std::move(plan), planner);
}

namespace {

/// The declared access pattern that lets `output` overlap `input`, if any.
const StreamingAccess* DeclaredStream(const MemoryPlan& plan, const Buffer& input, const Buffer& output) {
  if (input.kind != Buffer::Kind::kTensor || output.kind != Buffer::Kind::kTensor) return nullptr;
  for (const StreamingAccess& s : plan.streams)
    if (s.input_tensor == input.id && s.output_tensor == output.id) return &s;
  return nullptr;
}

/// Whether a and b may overlap as placed: only an output streaming over its
/// input, at least the declared distance below it (recomputed here from the
/// declaration, not taken from the planner's fields).
bool OverlapAllowed(const MemoryPlan& plan, const Buffer& a, const Buffer& b) {
  for (const auto& [input, output] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
    const StreamingAccess* s = DeclaredStream(plan, *input, *output);
    if (s != nullptr && input->last_use == output->first_use &&
        input->offset - output->offset >= SafeOverlapDistance(*s))
      return true;
  }
  return false;
}

}  // namespace

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
      const bool overlap = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
      if (LiveTogether(a, b) && overlap && !OverlapAllowed(plan, a, b))
        return MakeError("memory plan: buffers {} and {} are live together and overlap in pool '{}'",
                         a.name, b.name, a.pool);
    }
  }
  return Status::Ok();
}

}  // namespace kiln
