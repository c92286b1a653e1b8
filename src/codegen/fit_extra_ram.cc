#include "codegen/fit_extra_ram.h"

#include <algorithm>

namespace kiln {
namespace {

/// Whether no pool of `a` is larger than the same pool of `b`.
bool NoPoolLarger(const GeneratedCode& a, const GeneratedCode& b) {
  for (const auto& [pool, bytes] : a.plan.pool_sizes) {
    auto it = b.plan.pool_sizes.find(pool);
    if (bytes > (it == b.plan.pool_sizes.end() ? 0 : it->second)) return false;
  }
  return true;
}

/// Per node, the bytes of the buffers of `pool` live at it (an output that
/// streams over its input counted in full: an upper bound).
std::vector<int64_t> LiveBytes(const MemoryPlan& plan, const std::string& pool, size_t nodes) {
  std::vector<int64_t> live(nodes, 0);
  for (const Buffer& b : plan.buffers)
    if (b.pool == pool)
      for (int step = std::max(b.first_use, 0); step <= b.last_use && step < static_cast<int>(nodes); ++step)
        live[static_cast<size_t>(step)] += b.size;
  return live;
}

}  // namespace

Expected<GeneratedCode> GenerateCFittingRam(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                            const KernelScheduleOptions& schedule_options,
                                            std::vector<Schedule>& schedules, const CodegenOptions& options) {
  std::vector<size_t> extra;
  for (size_t i = 0; i < schedules.size(); ++i)
    if (schedules[i].extra_ram_bytes > 0 && schedules[i].tuned_task.empty()) extra.push_back(i);
  Expected<GeneratedCode> code = GenerateC(graph, kernels, schedules, options);
  if (extra.empty()) return code;
  std::vector<Schedule> lean = schedules;
  for (size_t i : extra) lean[i] = BestSchedule(graph, graph.nodes[i], *kernels[i], schedule_options, /*lean=*/true);
  // The lean plan answers for the RAM; its errors (a model too large for the
  // pools) are the model's own. An error of the faster plan alone (a --pool
  // it overflows) only means it does not fit.
  KILN_ASSIGN_OR_RETURN(GeneratedCode lean_code, GenerateC(graph, kernels, lean, options));
  if (code.ok() && NoPoolLarger(*code, lean_code)) return code;
  // The scratch goes to the workspace unless pinned elsewhere: there the
  // extra RAM must fit beside what the lean plan holds at its node.
  const auto workspace = lean_code.plan.pool_sizes.find(kWorkspacePool);
  const int64_t room = workspace == lean_code.plan.pool_sizes.end() ? 0 : workspace->second;
  const std::vector<int64_t> live = LiveBytes(lean_code.plan, kWorkspacePool, graph.nodes.size());
  std::vector<Schedule> fitted = lean;
  bool any = false;
  for (size_t i : extra)
    if (live[i] + schedules[i].extra_ram_bytes <= room) fitted[i] = schedules[i], any = true;
  if (any) {
    Expected<GeneratedCode> fitted_code = GenerateC(graph, kernels, fitted, options);
    if (fitted_code.ok() && NoPoolLarger(*fitted_code, lean_code)) {
      schedules = std::move(fitted);
      return fitted_code;
    }
  }
  schedules = std::move(lean);
  return lean_code;
}

}  // namespace kiln
