// `--records FILE`: the schedules `kiln tune` measured best replace the cost
// model's choice, layer by layer.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "kernels/lowering.h"
#include "kernels/schedule.h"
#include "support/status.h"
#include "tune/tuning_records.h"

namespace kiln {

/// For each node of `graph` whose task (tune/tuning_task.h) has valid
/// records for options.target, replaces its schedule in `schedules` (the
/// default choice, in the order of graph.nodes) with the measured best: the
/// lowest cost among the records of the board and compiler that measured
/// the task last, among candidates that add no more constants than the
/// default choice did (the flash budget stands). Nodes without records
/// keep the default. The chosen schedules name the task and `records_name`.
/// Returns how many nodes it changed or confirmed.
Expected<int> ApplyTuningRecords(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                 const KernelScheduleOptions& options, const std::vector<TuningRecord>& records,
                                 const std::string& records_name, std::vector<Schedule>* schedules);

}  // namespace kiln
