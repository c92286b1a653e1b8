#include "support/tool_version.h"

#include <cctype>
#include <map>
#include <mutex>

#include "support/process.h"

namespace kiln {

Expected<std::string> ToolVersionLine(const std::string& tool) {
  // Asked once per process and tool: every footprint estimate keys its size
  // table on the compiler's version, and a process that estimates many
  // models (kiln tune, conformance runs, the pipeline fuzzers) would
  // otherwise start the compiler for each. Only answers are kept, so that a
  // tool installed meanwhile is found.
  static std::mutex mutex;
  static std::map<std::string, std::string> answered;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = answered.find(tool); it != answered.end()) return it->second;
  }
  auto run = RunProcess({tool, "--version"});
  if (!run.ok() || run->exit_code != 0) return MakeError("'{}' is not installed (not found in PATH)", tool);
  std::string line = run->output.substr(0, run->output.find('\n'));
  std::lock_guard<std::mutex> lock(mutex);
  answered.emplace(tool, line);
  return line;
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
