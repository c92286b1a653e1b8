// Printing a RunProfile: estimated Cortex-M4 cycles and milliseconds at a
// clock, for the whole inference and per operator. Shared by `kiln run
// --device` and `kiln micro time`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "device/run_profile.h"

namespace kiln::cli {

inline constexpr double kDefaultClockMhz = 120.0;

/// "<label>: estimated Cortex-M4 cycles: ..." and the milliseconds at `clock_mhz`.
void PrintCycleEstimate(const std::string& label, const RunProfile& profile, double clock_mhz);
/// One line per operator of `metadata` ("operators": op and kernel names).
void PrintOperatorCycles(const nlohmann::json& metadata, const RunProfile& profile, double clock_mhz);
/// The `count` blocks of straight-line code that took the most cycles, each
/// with its operator, runs, instructions, cycles, share and code: where a
/// kernel's time goes, for whoever writes or tunes one.
void PrintHotBlocks(const nlohmann::json& metadata, const RunProfile& profile, size_t count);

}  // namespace kiln::cli
