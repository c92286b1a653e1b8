// Running a child process (the C compiler, the compiled model) and
// capturing what it prints.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/status.h"

namespace kiln {

struct ProcessResult {
  int exit_code = -1;  ///< the exit status, or 128 + signal number
  std::string output;  ///< stdout and stderr, interleaved
};

/// Runs argv[0] (searched in PATH) with the given arguments; fails only if
/// the program could not be started.
Expected<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                   const std::filesystem::path& working_dir = {});

}  // namespace kiln
