// The footprint estimate of one compiled model on one target: flash
// (constants exactly, the generated code by the calibrated cost model, the
// kernel functions the model reaches, each once, and the library members
// they pull in) and RAM (the planned pools, static data, the caller's
// input/output buffers and the stack of run() over the call graph), from
// the archive and the target's size table: no compiler run. See
// docs/footprint.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "footprint/size_table.h"
#include "mlf/model_library.h"
#include "support/status.h"

namespace kiln::footprint {

struct OperatorFootprint {
  int index = 0;
  std::string op, kernel;
  int64_t code_bytes = 0;      ///< its call in run() + kernel code first reached by it
  int64_t constant_bytes = 0;  ///< weights and parameters it is first to use
};

struct Footprint {
  std::string target, toolchain;
  // Flash by section and by part (both sum to flash_bytes()).
  int64_t text = 0, rodata = 0, data = 0;
  int64_t generated_code = 0, constants = 0, kernels = 0, libraries = 0;
  std::vector<OperatorFootprint> operators;
  std::vector<std::string> library_members;
  // RAM.
  std::map<std::string, int64_t> pools;
  int64_t static_bytes = 0;  ///< data + bss of the model code, kernels and libraries
  int64_t io_bytes = 0;
  int64_t stack_bytes = 0;
  bool stack_bounded = true;  ///< false: some frame is dynamic (not bounded)

  int64_t flash_bytes() const { return text + rodata + data; }
  int64_t ram_bytes() const;
  /// Without the library members: what the firmware's model objects hold.
  int64_t model_flash_bytes() const { return generated_code + constants + kernels; }
};

/// `--budget flash=1M,ram=320K`: either or both.
struct Budget {
  std::optional<int64_t> flash_bytes, ram_bytes;
};
Expected<Budget> ParseBudget(const std::string& text);

Expected<Footprint> EstimateFootprint(const ModelLibrary& library, const SizeTable& table);

/// The JSON of `kiln footprint --format json` (docs/footprint.md); "budget" only with one.
nlohmann::json FootprintJson(const Footprint& f, const Budget* budget = nullptr);
/// The human-readable report.
std::string FootprintText(const Footprint& f, const Budget* budget = nullptr);
/// metadata.json's "footprint" for `kiln compile --target`: the estimate's
/// JSON, or {"error": why} when it cannot be made (no cross compiler).
nlohmann::json FootprintMetadata(const ModelLibrary& library, const Target& target);

/// True when `f` fits every limit `budget` sets.
bool FitsBudget(const Footprint& f, const Budget& budget);

}  // namespace kiln::footprint
