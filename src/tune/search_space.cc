#include "tune/search_space.h"

#include <map>
#include <string>

#include "kernels/gemm_lowering.h"

namespace kiln {
namespace {

/// The values a tuner gives each knob, or empty where the kernel's value
/// stands. pixels_per_call: windows gathered per gemm call (scratch grows
/// with it); narrow_requant: 0 is always allowed, 1 only where the kernel
/// offered it (the layer's data decides); widen_rows: either (with int16
/// weights, 0 is the "wide quads" layout).
std::vector<int64_t> KnobRange(const Schedule& offered, const std::string& knob) {
  if (knob == "pixels_per_call") return {1, 2, 3, 4, 6, 8};
  if (knob == kNarrowRequantKnob) return offered.knob(knob) != 0 ? std::vector<int64_t>{0, 1} : std::vector<int64_t>{0};
  if (knob == kWidenRowsKnob) return {0, 1};
  return {};
}

void Expand(const Schedule& offered, std::map<std::string, int64_t>::const_iterator knob, Schedule current,
            std::vector<Schedule>* out) {
  if (knob == offered.knobs.end()) {
    out->push_back(std::move(current));
    return;
  }
  const auto next = std::next(knob);
  std::vector<int64_t> values = KnobRange(offered, knob->first);
  if (values.empty()) values = {knob->second};
  for (int64_t v : values) {
    current.knobs[knob->first] = v;
    Expand(offered, next, current, out);
  }
}

}  // namespace

std::vector<Schedule> SearchSpace(const std::vector<Schedule>& offered, const Target* target,
                                  std::vector<int>* changed_knobs) {
  std::vector<Schedule> space;
  std::map<std::string, size_t> seen;  // label -> position in space
  for (const Schedule& s : offered) {
    if (!TargetRuns(target, s)) continue;
    std::vector<Schedule> variants;
    if (s.generated)  // a point of a generated space is complete: its knobs are the space
      variants.push_back(s);
    else
      Expand(s, s.knobs.begin(), s, &variants);
    for (Schedule& v : variants) {
      int changed = 0;
      for (const auto& [knob, value] : s.knobs) changed += v.knob(knob) != value ? 1 : 0;
      auto [it, added] = seen.emplace(v.label(), space.size());
      if (added) {
        space.push_back(std::move(v));
        if (changed_knobs != nullptr) changed_knobs->push_back(changed);
      } else if (changed_knobs != nullptr) {
        (*changed_knobs)[it->second] = std::min((*changed_knobs)[it->second], changed);
      }
    }
  }
  return space;
}

}  // namespace kiln
