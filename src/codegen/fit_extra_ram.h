// The memory plan's say on schedules that take more RAM for speed
// (Schedule::extra_ram_bytes, four planes where one would do): each keeps
// its RAM only where the planned pools do not grow for it.
#pragma once

#include <vector>

#include "codegen/generate_c.h"

namespace kiln {

/// GenerateC with `schedules`, then, where some take extra RAM by the cost
/// model's choice (not a tuning record's): the same with each of them
/// replaced by its node's lean schedule (BestSchedule). Where that plan is
/// smaller, the extra RAM stays only at the nodes whose buffers live in the
/// lean plan plus it fit within the lean plan's size; kept if the plan so
/// made is no larger than the lean one. `schedules` becomes what the
/// returned code was generated with. At most three generations.
Expected<GeneratedCode> GenerateCFittingRam(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                            const KernelScheduleOptions& schedule_options,
                                            std::vector<Schedule>& schedules, const CodegenOptions& options);

}  // namespace kiln
