// What `kiln tune` may try for one node: every schedule its kernel offers
// that the target can run, each with every value of its knobs the kernel
// accepts (docs/tuning.md lists the ranges).
#pragma once

#include <vector>

#include "kernels/schedule.h"

namespace kiln {

/// `offered` (ScheduleCandidates: the reference first, each schedule with
/// the cost model's knob values) expanded over the knob ranges, without
/// schedules the target lacks a feature for and without duplicates; the
/// reference stays first. Knobs whose value decides the layer's constants
/// (int16_weights) keep the values the kernel offered, so each candidate's
/// extra_flash_bytes stays the kernel's figure. Points of a generated space
/// (Schedule::generated) are taken as they are: the space is their knobs.
/// `changed_knobs`, when given, receives per candidate how many of its knob
/// values differ from those the kernel offered with it (0: the kernel's own
/// choice; the cost model's estimate is of those).
std::vector<Schedule> SearchSpace(const std::vector<Schedule>& offered, const Target* target,
                                  std::vector<int>* changed_knobs = nullptr);

}  // namespace kiln
