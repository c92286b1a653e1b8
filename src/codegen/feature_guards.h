// Compile-time checks of the ISA features a module's schedules use: the
// generated C stops with an #error naming the feature and the --target when
// it is built for a core of that ISA that lacks the feature (a DSP build on
// a Cortex-M3, an RV32 build without the M extension). Built for another
// processor (the host running `kiln run model.tar`), the schedules' kernels
// run as portable C (kiln/simd.h) and nothing stops.
#pragma once

#include <string>
#include <vector>

#include "kernels/schedule.h"

namespace kiln {

/// The preprocessor checks for the features `schedules` use, for a module
/// compiled with `--target target` (empty: portable C; no checks).
std::string FeatureGuards(const std::vector<Schedule>& schedules, const std::string& target,
                          const std::string& module);

}  // namespace kiln
