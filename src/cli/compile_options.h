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
}

}  // namespace kiln::cli
