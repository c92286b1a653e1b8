#include "support/tool_version.h"

#include <cctype>

#include "support/process.h"

namespace kiln {

Expected<std::string> ToolVersionLine(const std::string& tool) {
  auto run = RunProcess({tool, "--version"});
  if (!run.ok() || run->exit_code != 0) return MakeError("'{}' is not installed (not found in PATH)", tool);
  return run->output.substr(0, run->output.find('\n'));
}

std::string VersionNumber(std::string_view line) {
  // Drop "(...)" groups, then take the first run of digits and dots that
  // holds at least one dot.
  std::string plain;
  int depth = 0;
  for (char c : line) {
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (depth == 0) plain += c;
  }
  for (size_t i = 0; i < plain.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(plain[i])) || (i > 0 && plain[i - 1] != ' ')) continue;
    size_t end = i;
    while (end < plain.size() && (std::isdigit(static_cast<unsigned char>(plain[end])) || plain[end] == '.')) ++end;
    std::string number = plain.substr(i, end - i);
    while (!number.empty() && number.back() == '.') number.pop_back();
    if (number.find('.') != std::string::npos) return number;
  }
  return std::string(line);
}

}  // namespace kiln
