#include "codegen/feature_guards.h"

#include <algorithm>

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
  std::string out;
  for (const FeatureCheck& check : kChecks) {
    // The first schedule that uses the feature, named in the message.
    auto user = std::find_if(schedules.begin(), schedules.end(), [&](const Schedule& s) {
      return std::find(s.features.begin(), s.features.end(), check.feature) != s.features.end();
    });
    if (user == schedules.end()) continue;
    out += fmt::format(
        "#if {}\n#error \"kiln module '{}' was compiled with --target {} and its schedules ({} ...) use {}, "
        "which this core lacks: compile the model with this core's --target\"\n#endif\n",
        check.missing, module, target, user->name, check.description);
  }
  return out.empty() ? out
                     : "\n/* The ISA features this module's schedules use (docs/schedules.md): built for a\n"
                       " * core of that ISA without them, it stops here. */\n" +
                           out;
}

}  // namespace kiln
