// Drives the planners over each pool and verifies what they produce.
#include <algorithm>
#include <chrono>
#include <functional>
#include <set>

#include <fmt/format.h>

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

namespace {

/// Places one pool's buffers with the chosen planner.
using PoolPlacer = std::function<void(const std::string& pool, std::vector<Buffer*>& members)>;

int64_t Extent(const std::vector<Buffer*>& buffers) {
  int64_t end = 0;
  for (const Buffer* b : buffers) end = std::max(end, b->offset + b->size);
  return end;
}

std::vector<Buffer*> Members(MemoryPlan& plan, const std::string& pool) {
  std::vector<Buffer*> members;
  for (Buffer& b : plan.buffers)
    if (b.pool == pool) members.push_back(&b);
  return members;
}

std::string Describe(const Buffer& b) {
  return b.tensor_name.empty() ? fmt::format("{} ({} bytes)", b.name, b.size)
                               : fmt::format("{} (tensor '{}', {} bytes)", b.name, b.tensor_name, b.size);
}

/// Assigns buffers to the user's read-write pools and places them, moving
/// buffers on to later pools while a pool overflows.
Status PlaceInPools(MemoryPlan& plan, const PoolPlacer& place, const PoolOptions& options) {
  std::vector<const PoolSpec*> rw;
  std::set<std::string> seen;
  for (const PoolSpec& p : options.pools) {
    if (!seen.insert(p.name).second) return MakeError("--pool '{}' is given twice", p.name);
    if (!p.read_only) rw.push_back(&p);
  }
  if (rw.empty()) {
    if (plan.buffers.empty()) return Status::Ok();
    return MakeError("the model needs {} buffers in RAM but every --pool is read-only", plan.buffers.size());
  }
  std::set<const Buffer*> pinned;
  std::set<std::string> used_pins;
  for (Buffer& b : plan.buffers) {
    b.pool = rw[0]->name;
    std::string key;
    const std::string* target = FindPin(options.pins, b, &key);
    if (target == nullptr) continue;
    auto pool = std::find_if(rw.begin(), rw.end(), [&](const PoolSpec* p) { return p->name == *target; });
    if (pool == rw.end()) return MakeError("--pin {}={}: there is no read-write --pool '{}'", key, *target, *target);
    b.pool = *target;
    pinned.insert(&b);
    used_pins.insert(key);
  }
  // A pin that matches nothing is a typo, unless a more specific pin took
  // every buffer it matches.
  for (const auto& pin : options.pins) {
    if (used_pins.count(pin.first)) continue;
    const std::string& key = pin.first;  // a plain name: lambdas cannot capture bindings in C++20
    const bool known = std::any_of(plan.buffers.begin(), plan.buffers.end(), [&](const Buffer& b) {
      return b.name == key || b.tensor_name == key || (!b.op.empty() && "op:" + b.op == key) ||
             (key == "scratch" && b.kind == Buffer::Kind::kScratch);
    });
    if (!known)
      return MakeError("--pin {}={}: no buffer matches '{}' (see `kiln plan` for buffer names and operators)", key,
                       pin.second, key);
  }
  for (size_t i = 0; i < rw.size(); ++i) {
    const PoolSpec& pool = *rw[i];
    for (;;) {
      std::vector<Buffer*> members = Members(plan, pool.name);
      for (Buffer* b : members) b->alignment = std::max(b->alignment, pool.alignment);
      place(pool.name, members);
      const int64_t size = RoundUp(Extent(members), pool.alignment);
      if (pool.capacity == 0 || size <= pool.capacity) break;
      // Move the topmost buffer that may move; the pinned ones stay.
      Buffer* top = nullptr;
      for (Buffer* b : members)
        if (!pinned.count(b) && (top == nullptr || b->offset + b->size > top->offset + top->size)) top = b;
      if (top == nullptr || i + 1 == rw.size()) {
        Buffer* culprit = top;
        if (culprit == nullptr)
          for (Buffer* b : members)
            if (culprit == nullptr || b->offset + b->size > culprit->offset + culprit->size) culprit = b;
        std::vector<Buffer*> rest;
        for (Buffer* b : members)
          if (b != culprit) rest.push_back(b);
        place(pool.name, rest);
        const int64_t free = pool.capacity - RoundUp(Extent(rest), pool.alignment);
        return MakeError("buffer {}{} does not fit in pool '{}' ({} bytes): the plan needs {} bytes; with the "
                         "other buffers placed, {} bytes are free{}",
                         Describe(*culprit), pinned.count(culprit) ? ", pinned there," : "", pool.name,
                         pool.capacity, size, std::max<int64_t>(free, 0),
                         i + 1 == rw.size() ? " and no later --pool is left" : "");
      }
      top->pool = rw[i + 1]->name;
    }
  }
  return Status::Ok();
}

}  // namespace

Expected<MemoryPlan> PlanMemory(MemoryPlan plan, std::string_view planner, const PlannerOptions& options,
                                const PoolOptions& pools) {
  const PlannerInfo* info = FindPlanner(planner);
  if (info == nullptr) return MakeError("unknown memory planner '{}'", planner);
  const auto start = std::chrono::steady_clock::now();
  plan.planner = std::string(info->name);
  const PoolPlacer place = [&](const std::string& pool, std::vector<Buffer*>& members) {
    // The time limit is for the whole plan: each pool gets what is left.
    PlannerOptions pool_options = options;
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    pool_options.time_limit_seconds = std::max(0.0, options.time_limit_seconds - spent);
    pool_options.pool_alignment = PoolAlignment(pools, pool);
    std::string note = pools.pools.empty() && pool == kStatePool ? PlaceLinear(members, pool_options)
                                                                 : info->place(members, pool_options);
    if (!note.empty()) plan.notes[pool] = std::move(note);
  };
  std::set<std::string> names;
  if (pools.pools.empty()) {
    names = {kWorkspacePool, kStatePool};
    for (const Buffer& b : plan.buffers) names.insert(b.pool);
    for (const std::string& pool : names) {
      std::vector<Buffer*> members = Members(plan, pool);
      place(pool, members);
    }
  } else {
    KILN_RETURN_IF_ERROR(PlaceInPools(plan, place, pools));
    for (const PoolSpec& p : pools.pools) names.insert(p.name);
    plan.pool_specs = pools.pools;
  }
  for (const std::string& pool : names) {
    const std::vector<Buffer*> members = Members(plan, pool);
    plan.pool_sizes[pool] = RoundUp(Extent(members), PoolAlignment(pools, pool));
    plan.lower_bounds[pool] = LowerBound(members);
    plan.layer_wise_bounds[pool] = LayerWiseLowerBound(members);
    plan.peak_steps[pool] = PeakStep(members);
  }
  KILN_RETURN_IF_ERROR(VerifyPlan(plan));
  return plan;
}

Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner, const PlannerOptions& options) {
  MemoryPlan plan;
  plan.buffers = std::move(buffers);
  return PlanMemory(std::move(plan), planner, options);
}

Expected<MemoryPlan> PlanMemory(std::vector<Buffer> buffers, std::string_view planner) {
  return PlanMemory(std::move(buffers), planner, PlannerOptions{});
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
  // Shares nothing with the planners but the access-pattern arithmetic:
  // every allowed overlap is derived again from the kernels' declarations.
  for (size_t i = 0; i < plan.buffers.size(); ++i) {
    const Buffer& a = plan.buffers[i];
    if (a.offset < 0) return MakeError("memory plan: buffer {} was not placed", a.name);
    if (a.alignment <= 0 || a.offset % a.alignment != 0)
      return MakeError("memory plan: buffer {} at offset {} is not {}-byte aligned", a.name,
                       a.offset, a.alignment);
    if (a.offset + a.size > plan.pool_size(a.pool))
      return MakeError("memory plan: buffer {} ends past pool '{}'", a.name, a.pool);
    for (const PoolSpec& spec : plan.pool_specs)
      if (spec.name == a.pool && a.offset % spec.alignment != 0)
        return MakeError("memory plan: buffer {} at offset {} breaks pool '{}''s {}-byte alignment", a.name,
                         a.offset, a.pool, spec.alignment);
    for (size_t j = i + 1; j < plan.buffers.size(); ++j) {
      const Buffer& b = plan.buffers[j];
      if (a.pool != b.pool || a.size == 0 || b.size == 0) continue;
      const bool overlap = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
      if (LiveAtOnce(a, b) && overlap && !OverlapAllowed(plan, a, b))
        return MakeError("memory plan: buffers {} and {} are live together and overlap in pool '{}'",
                         a.name, b.name, a.pool);
    }
  }
  return Status::Ok();
}

}  // namespace kiln
