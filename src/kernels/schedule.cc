#include "kernels/schedule.h"

#include <algorithm>
#include <optional>

#include "kernels/gemm_lowering.h"
#include "kernels/lowering.h"
#include "target/targets.h"

namespace kiln {

int64_t Schedule::knob(std::string_view name, int64_t fallback) const {
  auto it = knobs.find(std::string(name));
  return it == knobs.end() ? fallback : it->second;
}

std::string ScheduleLabel(std::string_view name, const std::map<std::string, int64_t>& knobs) {
  std::string label(name), knob_list;
  for (const auto& [knob_name, value] : knobs)
    knob_list += (knob_list.empty() ? "" : ",") + knob_name + "=" + std::to_string(value);
  return knob_list.empty() ? label : label + "(" + knob_list + ")";
}

std::string Schedule::label() const { return ScheduleLabel(name, knobs); }

bool TargetRuns(const Target* target, const Schedule& schedule) {
  for (const std::string& f : schedule.features)
    if (target == nullptr || !target->has_feature(f)) return false;
  return true;
}

std::vector<Schedule> ScheduleCandidates(const Graph& graph, const Node& node, const KernelEntry& kernel,
                                         const KernelScheduleOptions& options) {
  if (kernel.schedules != nullptr) return kernel.schedules(graph, node, options);
  return {Schedule{}};
}

namespace {

/// The flash the schedules may add: half the budget, less the graph's own constants.
int64_t FlashForSpeed(const Graph& graph, const KernelScheduleOptions& options) {
  int64_t budget = options.flash_budget_bytes;
  if (budget == 0 && options.target != nullptr) budget = options.target->typical_flash_bytes;
  int64_t constants = 0;
  for (const Tensor& t : graph.tensors)
    if (t.is_constant) constants += t.bytes();
  return std::max<int64_t>(0, budget / 2 - constants);
}

}  // namespace

Schedule BestSchedule(const Graph& graph, const Node& node, const KernelEntry& kernel,
                      const KernelScheduleOptions& options, bool lean) {
  const CostIsa isa = CostIsaOf(options.target);
  std::optional<Schedule> best;
  for (Schedule& s : ScheduleCandidates(graph, node, kernel, options)) {
    if (!TargetRuns(options.target, s) || s.generated) continue;
    // --opt size: the reference loops, the least code and constants (no
    // re-laid or widened weights, no second kernel).
    if (options.opt == "size" && s.name != "reference") continue;
    if (lean && (s.extra_flash_bytes > 0 || s.extra_ram_bytes > 0)) continue;
    if (!best || ExpectedCost(s, isa) < ExpectedCost(*best, isa)) best = std::move(s);
  }
  return best ? *best : Schedule{};
}

std::vector<Schedule> ChooseSchedules(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                      const KernelScheduleOptions& options) {
  std::vector<Schedule> chosen;
  std::vector<Schedule> lean;  // each node's best that adds no constants and no scratch
  const CostIsa isa = CostIsaOf(options.target);
  chosen.reserve(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    chosen.push_back(BestSchedule(graph, graph.nodes[i], *kernels[i], options, /*lean=*/false));
    lean.push_back(BestSchedule(graph, graph.nodes[i], *kernels[i], options, /*lean=*/true));
  }
  // The flash budget, spent where a byte saves the most (cycles on Arm).
  std::vector<size_t> extra;
  for (size_t i = 0; i < chosen.size(); ++i)
    if (chosen[i].extra_flash_bytes > 0) extra.push_back(i);
  auto saved_per_byte = [&](size_t i) {
    return static_cast<double>(ExpectedCost(lean[i], isa) - ExpectedCost(chosen[i], isa)) /
           static_cast<double>(chosen[i].extra_flash_bytes);
  };
  std::stable_sort(extra.begin(), extra.end(), [&](size_t a, size_t b) { return saved_per_byte(a) > saved_per_byte(b); });
  int64_t left = FlashForSpeed(graph, options);
  for (size_t i : extra) {
    if (chosen[i].extra_flash_bytes <= left)
      left -= chosen[i].extra_flash_bytes;
    else
      chosen[i] = lean[i];
  }
  return chosen;
}

}  // namespace kiln
