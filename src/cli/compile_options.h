// Command-line options shared by the commands that compile a model.
#pragma once

#include <CLI/CLI.hpp>

#include "codegen/generate_c.h"
#include "memory/planners.h"

namespace kiln::cli {

inline void AddCodegenOptions(CLI::App* cmd, CodegenOptions* options) {
  cmd->add_option("--module-name", options->module_name,
                  "C name of the module: kiln_<name>.h, kiln_<name>_run()")
      ->capture_default_str();
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
         "Memory pool NAME:SIZE[:ro] (repeatable, in order of preference; K/M suffixes); ro pools hold the "
         "constants")
      ->type_name("NAME:SIZE[:ro]");
  cmd->add_option_function<std::vector<std::string>>(
         "--pin",
         [options](const std::vector<std::string>& pins) {
           for (const std::string& text : pins) {
             auto pin = ParsePin(text);
             if (!pin.ok()) throw CLI::ValidationError(pin.message());
             options->pools.pins[pin->first] = pin->second;
           }
         },
         "Put a buffer in a pool: TENSOR=POOL (tensor name or %id; repeatable)")
      ->type_name("TENSOR=POOL");
}

}  // namespace kiln::cli
