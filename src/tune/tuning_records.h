// The records of `kiln tune`: an append-only JSON-lines file, one
// measurement per line, versioned. A re-run with the same file resumes (it
// measures nothing twice), and `kiln compile --records` applies the best
// valid measurement of each task (docs/tuning.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/status.h"

namespace kiln {

/// The format's version: a line of another version is refused.
inline constexpr int kTuningRecordsVersion = 1;

struct TuningRecord {
  std::string kiln_version;  ///< KILN_VERSION of the kiln that measured
  std::string target;        ///< --target: whose schedules
  std::string board;         ///< where it ran
  std::string compiler;      ///< the board's cross compiler and version
  std::string task;          ///< TuningTask::key
  std::string layer;         ///< TuningTask::layer, for people
  std::string schedule;      ///< its name
  std::map<std::string, int64_t> knobs;
  /// Built, ran, and its output bytes equal the reference schedule's on
  /// the same data. Only valid records are ever applied.
  bool valid = false;
  /// Why it is not valid (a build error, a timeout, different bytes).
  std::string error;
  uint64_t instructions = 0;  ///< executed by the layer, -icount shift=0
  uint64_t cycles = 0;        ///< estimated Cortex-M4 cycles; 0 where the board has no cycle model
  int64_t flash_bytes = 0;    ///< the one-layer module's flash footprint
  int64_t ram_bytes = 0;      ///< and its RAM
  std::string output_digest;  ///< FNV-1a of the output bytes (16 hex digits)
  double seconds = 0;         ///< wall time of the measurement, build included
  std::string strategy;       ///< which search proposed it

  /// The figure tuning minimises: estimated cycles where the board has a
  /// cycle model, else instructions.
  uint64_t cost() const { return cycles != 0 ? cycles : instructions; }
  /// Identifies what was measured: a resumed run skips what it already has.
  std::string measurement_key() const;
  /// "gemm_dsp(narrow_requant=1,widen_rows=1)" (Schedule::label).
  std::string schedule_label() const;
};

nlohmann::json RecordJson(const TuningRecord& record);

/// The records in `path`, in file order; none when the file does not exist.
/// An error names the file and line of anything malformed; a last line cut
/// short (a tuner killed while writing) is skipped with `warning` set.
Expected<std::vector<TuningRecord>> ReadTuningRecords(const std::filesystem::path& path,
                                                      std::string* warning = nullptr);

/// The same for the text of such a file; `name` names it in errors.
Expected<std::vector<TuningRecord>> ParseTuningRecords(std::string_view text, const std::string& name,
                                                       std::string* warning = nullptr);

/// Appends one record as one line, flushed before it returns.
Status AppendTuningRecord(const std::filesystem::path& path, const TuningRecord& record);

}  // namespace kiln
