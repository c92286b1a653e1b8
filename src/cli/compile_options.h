// Command-line options shared by the commands that compile a model.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "codegen/generate_c.h"
#include "driver/compile.h"
#include "memory/planners.h"
#include "support/byte_size.h"
#include "target/targets.h"

namespace kiln::cli {

/// --flash-budget SIZE (K/M suffixes) into `*bytes`.
inline void AddFlashBudgetOption(CLI::App* cmd, int64_t* bytes, const std::string& help) {
  cmd->add_option_function<std::string>(
         "--flash-budget",
         [bytes](const std::string& text) {
           auto parsed = ParseByteSize(text);
           if (!parsed.ok()) throw CLI::ValidationError("--flash-budget: " + parsed.message());
           *bytes = *parsed;
         },
         help)
      ->type_name("SIZE");
}

inline void AddCodegenOptions(CLI::App* cmd, CodegenOptions* options) {
  cmd->add_option("--module-name", options->module_name,
                  "C name of the module: kiln_<name>.h, kiln_<name>_run()")
      ->capture_default_str();
  cmd->add_option("--target", options->target,
                  "Processor to compile for (recorded in the archive; footprint figures are for it)")
      ->check(CLI::IsMember(TargetNames()));
  cmd->add_option("--opt", options->opt,
                  "What the kernel schedules favour: speed, or size (no weights expanded or copied)")
      ->check(CLI::IsMember({"speed", "size"}))
      ->capture_default_str();
  AddFlashBudgetOption(cmd, &options->flash_budget,
                       "Flash of the firmware (K/M suffixes; default: the target's typical part): speed schedules "
                       "that add constants (int16 weights) are used while the model's constants stay within half of it");
  cmd->add_option("--records", options->tuning_records,
                  "Tuning records of kiln tune: each tuned layer takes its best valid measured schedule "
                  "(needs --target; docs/tuning.md)")
      ->type_name("FILE");
  cmd->add_option("--executor", options->executor,
                  "aot: a generated run(); graph: the model as a blob of data that a small interpreter runs on the "
                  "same kernels (docs/graph-executor.md)")
      ->check(CLI::IsMember({"aot", "graph"}))
      ->capture_default_str();
  cmd->add_flag("--io-in-pools", options->io_in_pools,
               "Plan the model's inputs and outputs into the pools too (fixed addresses: kiln_<m>_map_io())");
  cmd->add_option("--planner", options->planner, "Memory planner")
      ->check(CLI::IsMember(AcceptedPlannerNames()))
      ->capture_default_str();
  cmd->add_option_function<std::vector<std::string>>(
         "--pool",
         [options](const std::vector<std::string>& specs) {
           for (const std::string& text : specs) {
             auto spec = ParsePoolSpec(text);
             if (!spec.ok()) throw CLI::ValidationError(spec.message());
             options->pools.pools.push_back(*spec);
           }
         },
         "Memory pool NAME:SIZE[:ro][:align=N] (repeatable, in order of preference; K/M suffixes); ro pools "
         "hold the constants; align=N aligns the pool and its buffers")
      ->type_name("NAME:SIZE[:ro][:align=N]");
  cmd->add_option_function<std::vector<std::string>>(
         "--pin",
         [options](const std::vector<std::string>& pins) {
           for (const std::string& text : pins) {
             auto pin = ParsePin(text);
             if (!pin.ok()) throw CLI::ValidationError(pin.message());
             options->pools.pins[pin->first] = pin->second;
           }
         },
         "Put buffers in a pool: KEY=POOL, KEY a tensor name or %id, op:CLASS (what operators of that class "
         "write, e.g. op:CONV_2D) or scratch (repeatable; the most specific wins)")
      ->type_name("KEY=POOL");
}

/// --input-shape NAME:D0,D1,... (repeatable): fixes an ONNX input's shape.
inline void AddImportOptions(CLI::App* cmd, std::vector<std::string>* specs) {
  cmd->add_option("--input-shape", *specs,
                  "Static shape of an ONNX input, NAME:D0,D1,... (repeatable; fixes dynamic dimensions)");
}

/// Parses the --input-shape specs; the name is everything before the last ':'.
inline Expected<ImportOptions> ParseImportOptions(const std::vector<std::string>& specs) {
  ImportOptions options;
  for (const std::string& spec : specs) {
    const size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0)
      return MakeError("--input-shape '{}': expected NAME:D0,D1,...", spec);
    Shape shape;
    std::string dims = spec.substr(colon + 1);
    size_t pos = 0;
    while (pos <= dims.size() && !dims.empty()) {
      const size_t comma = dims.find(',', pos);
      const std::string d = dims.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      char* end = nullptr;
      const long v = std::strtol(d.c_str(), &end, 10);
      if (d.empty() || *end != '\0' || v < 1 || v > (1L << 30))
        return MakeError("--input-shape '{}': dimension '{}' is not a positive integer", spec, d);
      shape.push_back(static_cast<int32_t>(v));
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    options.input_shapes[spec.substr(0, colon)] = shape;
  }
  return options;
}

}  // namespace kiln::cli
