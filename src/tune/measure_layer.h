// One measurement of `kiln tune`: a candidate schedule compiled into a
// firmware that runs its layer alone, run once on the board on
// deterministic pseudo-random inputs, and measured.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "device/boards.h"
#include "kernels/schedule.h"
#include "tune/tuning_task.h"

namespace kiln {

struct LayerMeasurement {
  /// Empty when it built and ran; else why not (the board's error, a timeout).
  std::string error;
  uint64_t instructions = 0;  ///< the layer's, exact on a board with a cycle model
  uint64_t cycles = 0;        ///< estimated; 0 without a cycle model
  int64_t flash_bytes = 0;
  int64_t ram_bytes = 0;
  std::string output_digest;  ///< FNV-1a of all output bytes, 16 hex digits
  double seconds = 0;
};

struct MeasureOptions {
  std::string target;  ///< --target the schedule is compiled for
  /// A board that answers no request for this long counts as hung.
  std::chrono::milliseconds timeout{60000};
};

/// The inputs every candidate of `task` runs on: bytes from a generator
/// seeded by the task key (uniform over the integer types; floats in
/// [-1, 1]; booleans 0 or 1), one vector per layer input.
std::vector<std::vector<uint8_t>> LayerInputs(const TuningTask& task);

/// Builds, runs and measures `schedule` for `task` on `board`. Never fails:
/// what goes wrong is the measurement's error.
LayerMeasurement MeasureLayer(const TuningTask& task, const Schedule& schedule, const Board& board,
                              const MeasureOptions& options);

}  // namespace kiln
