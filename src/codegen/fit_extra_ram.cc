#include "codegen/fit_extra_ram.h"

#include <numeric>

namespace kiln {
namespace {

/// Bytes of every pool the plan asks for.
int64_t PlannedBytes(const GeneratedCode& code) {
  return std::accumulate(code.plan.pool_sizes.begin(), code.plan.pool_sizes.end(), int64_t{0},
                         [](int64_t sum, const auto& pool) { return sum + pool.second; });
}

/// Per node, the bytes of the buffers live at it (an output that streams
/// over its input counted in full: an upper bound).
std::vector<int64_t> LiveBytes(const MemoryPlan& plan, size_t nodes) {
  std::vector<int64_t> live(nodes, 0);
  for (const Buffer& b : plan.buffers)
    for (int step = std::max(b.first_use, 0); step <= b.last_use && step < static_cast<int>(nodes); ++step)
      live[static_cast<size_t>(step)] += b.size;
  return live;
}

}  // namespace

Expected<GeneratedCode> GenerateCFittingRam(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                            const KernelScheduleOptions& schedule_options,
                                            std::vector<Schedule>& schedules, const CodegenOptions& options) {
  KILN_ASSIGN_OR_RETURN(GeneratedCode code, GenerateC(graph, kernels, schedules, options));
  std::vector<size_t> extra;
  for (size_t i = 0; i < schedules.size(); ++i)
    if (schedules[i].extra_ram_bytes > 0 && schedules[i].tuned_task.empty()) extra.push_back(i);
  if (extra.empty()) return code;
  std::vector<Schedule> lean = schedules;
  for (size_t i : extra) lean[i] = BestSchedule(graph, graph.nodes[i], *kernels[i], schedule_options, /*lean=*/true);
  KILN_ASSIGN_OR_RETURN(GeneratedCode lean_code, GenerateC(graph, kernels, lean, options));
  const int64_t lean_bytes = PlannedBytes(lean_code);
  if (PlannedBytes(code) <= lean_bytes) return code;
  const std::vector<int64_t> live = LiveBytes(lean_code.plan, graph.nodes.size());
  std::vector<Schedule> fitted = lean;
  bool any = false;
  for (size_t i : extra)
    if (live[i] + schedules[i].extra_ram_bytes <= lean_bytes) fitted[i] = schedules[i], any = true;
  if (any) {
    KILN_ASSIGN_OR_RETURN(GeneratedCode fitted_code, GenerateC(graph, kernels, fitted, options));
    if (PlannedBytes(fitted_code) <= lean_bytes) {
      schedules = std::move(fitted);
      return fitted_code;
    }
  }
  schedules = std::move(lean);
  return lean_code;
}

}  // namespace kiln
