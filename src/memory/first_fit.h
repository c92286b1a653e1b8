// First fit: the lowest offset where a buffer can go, given the buffers
// already placed. Shared by the planners, so that every one of them honours
// declared overlaps (memory/access_pattern.h) the same way.
#pragma once

#include <vector>

#include "memory/memory_plan.h"

namespace kiln {

/// True when `a` and `b` are live at a common step.
bool LiveTogether(const Buffer& a, const Buffer& b);

/// The lowest offset, aligned for `buffer`, at which it overlaps no placed
/// buffer live at the same time, except where a declared stream allows it.
int64_t LowestFreeOffset(const Buffer& buffer, const std::vector<const Buffer*>& placed);

int64_t AlignUp(int64_t value, int64_t alignment);

/// How PlaceInOrder treats a buffer whose stream partner (the input it
/// streams over, or the output streaming over it) is not placed yet.
enum class StreamPairs {
  kApart,     ///< each at its own lowest free offset
  kTogether,  ///< both now: the output where both fit, the input the declared distance above
};

/// Places `order`'s buffers one by one at their lowest free offset.
/// Placed apart, the first of a stream pair may take the bottom and leave
/// the output no room below its input; placed together, a chain of streams
/// may stack up. Neither wins everywhere: planners try both.
void PlaceInOrder(const std::vector<Buffer*>& order, StreamPairs pairs);

/// The end of the highest buffer: the pool size before rounding.
int64_t Extent(const std::vector<Buffer*>& buffers);

}  // namespace kiln
