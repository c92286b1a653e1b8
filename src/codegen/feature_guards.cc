#include "codegen/feature_guards.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace kiln {
namespace {

/// A feature's check: the ISA it belongs to (a predefined macro), the
/// macro test that it is missing there, and its name for the message.
struct FeatureCheck {
  const char* feature;
  const char* missing;  // a preprocessor condition
  const char* description;
};

constexpr FeatureCheck kChecks[] = {
    {"dsp", "defined(__arm__) && !(defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP)",
     "the Arm DSP extension (__ARM_FEATURE_DSP)"},
    {"m", "defined(__riscv) && !defined(__riscv_mul)", "the RISC-V M extension (__riscv_mul)"},
};

}  // namespace

std::string FeatureGuards(const std::vector<Schedule>& schedules, const std::string& target,
                          const std::string& module) {
  if (target.empty()) return "";
  std::set<std::string> used;
  for (const Schedule& s : schedules) used.insert(s.features.begin(), s.features.end());
  std::string out;
  for (const FeatureCheck& check : kChecks) {
    if (!used.count(check.feature)) continue;
    std::string schedule;
    for (const Schedule& s : schedules)
      if (std::find(s.features.begin(), s.features.end(), check.feature) != s.features.end()) {
        schedule = s.name;
        break;
      }
    out += fmt::format(
        "#if {}\n#error \"kiln module '{}' was compiled with --target {} and its schedules ({} ...) use {}, "
        "which this core lacks: compile the model with this core's --target\"\n#endif\n",
        check.missing, module, target, schedule, check.description);
  }
  return out.empty() ? out
                     : "\n/* The ISA features this module's schedules use (docs/schedules.md): built for a\n"
                       " * core of that ISA without them, it stops here. */\n" +
                           out;
}

}  // namespace kiln
