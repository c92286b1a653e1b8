#include "tune/apply_records.h"

#include <algorithm>
#include <map>

#include "kernels/depthwise_tiled.h"
#include "kernels/gemm_tiled.h"
#include "target/targets.h"
#include "tune/tuning_task.h"

namespace kiln {

Expected<int> ApplyTuningRecords(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                 const KernelScheduleOptions& options, const std::vector<TuningRecord>& records,
                                 const std::string& records_name, std::vector<Schedule>* schedules) {
  if (options.target == nullptr) return MakeError("--records needs --target: tuning records are per processor");
  if (options.opt != "speed") return MakeError("--records applies to --opt speed (--opt size keeps the reference loops)");
  // The valid records of each task, for this target.
  std::map<std::string, std::vector<const TuningRecord*>> by_task;
  for (const TuningRecord& r : records)
    if (r.valid && r.target == options.target->name) by_task[r.task].push_back(&r);
  // A record may name a point of a generated space (kiln tune
  // --auto-schedule): those spaces are generated only then.
  KernelScheduleOptions searched = options;
  searched.loop_nest_space = std::any_of(records.begin(), records.end(), [](const TuningRecord& r) {
    return r.schedule == kGemmTiledSchedule || r.schedule == kIm2colTiledSchedule ||
           r.schedule == kDepthwiseTiledSchedule;
  });
  int applied = 0;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const NodeSearch search = SearchNode(graph, graph.nodes[i], *kernels[i], searched);
    const std::vector<Schedule>& space = search.space;
    const std::string& key = search.key;
    auto found = key.empty() ? by_task.end() : by_task.find(key);
    if (found == by_task.end()) continue;
    // One board and compiler's figures: costs measured elsewhere do not compare.
    const TuningRecord& latest = *found->second.back();
    const Schedule* best = nullptr;
    const TuningRecord* best_record = nullptr;
    for (const TuningRecord* r : found->second) {
      if (r->board != latest.board || r->compiler != latest.compiler) continue;
      const std::string label = r->schedule_label();
      for (const Schedule& s : space) {
        if (s.label() != label || s.extra_flash_bytes > (*schedules)[i].extra_flash_bytes) continue;
        if (best_record == nullptr || r->cost() < best_record->cost()) {
          best = &s;
          best_record = r;
        }
      }
    }
    if (best == nullptr) continue;
    Schedule chosen = *best;
    chosen.expected_instructions = static_cast<int64_t>(best_record->instructions);
    chosen.tuned_task = key;
    chosen.tuning_records = records_name;
    (*schedules)[i] = std::move(chosen);
    ++applied;
  }
  return applied;
}

}  // namespace kiln
