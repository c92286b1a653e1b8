// Asking an installed program which version it is: `tool --version`, as
// the footprint tables key their cache on and `kiln doctor` reports.
#pragma once

#include <string>
#include <string_view>

#include "support/status.h"

namespace kiln {

/// The first line `tool --version` prints, or an error when the program is
/// not installed (not in PATH) or does not answer.
Expected<std::string> ToolVersionLine(const std::string& tool);

/// The version number in such a line, skipping parenthesised packaging
/// notes: "arm-none-eabi-gcc (15:12.2.rel1-1) 12.2.1 20221205" -> "12.2.1",
/// "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7)" -> "7.2.22",
/// "GNU Make 4.3" -> "4.3". The whole line when it holds no number.
std::string VersionNumber(std::string_view version_line);

}  // namespace kiln
