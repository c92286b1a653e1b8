// The memory plan's say on schedules that take more RAM for speed
// (Schedule::extra_ram_bytes, four planes where one would do): each keeps
// its RAM only where the planned pools do not grow for it.
#pragma once

#include <vector>

#include "codegen/generate_c.h"

namespace kiln {

/// GenerateC with `schedules`, then, where some take extra RAM by the cost
/// model's choice (not a tuning record's): the same with each of them
/// replaced by its node's lean schedule (BestSchedule). Where a pool of the
/// first plan is larger than the lean plan's (or the first does not fit
/// the pools at all), the extra RAM stays only at the nodes where the
/// workspace buffers live in the lean plan plus it fit within the lean
/// workspace; the plan so made is kept if no pool of it is larger than the
/// lean plan's, else the lean one. `schedules` becomes what the returned
/// code was generated with. At most three generations.
Expected<GeneratedCode> GenerateCFittingRam(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                            const KernelScheduleOptions& schedule_options,
                                            std::vector<Schedule>& schedules, const CodegenOptions& options);

}  // namespace kiln
