// Writing a whole output file or nothing: contents go to PATH.partial
// first and are renamed over PATH only once complete, so a failure never
// leaves a half-written archive or report behind.
#pragma once

#include <filesystem>
#include <string_view>

#include "support/status.h"

namespace kiln {

/// Writes `contents` to `path` atomically (same-directory temp + rename).
/// The error names the path and what failed; the temp file is removed.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace kiln
