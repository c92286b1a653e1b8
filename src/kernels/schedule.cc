#include "kernels/schedule.h"

#include "kernels/lowering.h"
#include "target/targets.h"

namespace kiln {

int64_t Schedule::knob(std::string_view name, int64_t fallback) const {
  auto it = knobs.find(std::string(name));
  return it == knobs.end() ? fallback : it->second;
}

std::vector<Schedule> ScheduleCandidates(const Graph& graph, const Node& node, const KernelEntry& kernel,
                                         const KernelScheduleOptions& options) {
  if (kernel.schedules != nullptr) return kernel.schedules(graph, node, options);
  return {Schedule{}};
}

namespace {

bool TargetHas(const KernelScheduleOptions& options, const Schedule& s) {
  for (const std::string& f : s.features)
    if (options.target == nullptr || !options.target->has_feature(f)) return false;
  return true;
}

}  // namespace

std::vector<Schedule> ChooseSchedules(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                      const KernelScheduleOptions& options) {
  std::vector<Schedule> chosen;
  chosen.reserve(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    std::vector<Schedule> candidates = ScheduleCandidates(graph, graph.nodes[i], *kernels[i], options);
    const Schedule* best = nullptr;
    for (const Schedule& s : candidates) {
      if (!TargetHas(options, s)) continue;
      // --opt size: the reference loops, the least code and constants (no
      // re-laid or widened weights, no second kernel).
      if (options.opt == "size" && s.name != "reference") continue;
      if (best == nullptr || s.expected_instructions < best->expected_instructions) best = &s;
    }
    chosen.push_back(best != nullptr ? *best : Schedule{});
  }
  return chosen;
}

}  // namespace kiln
