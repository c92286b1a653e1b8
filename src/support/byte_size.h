// Sizes on the command line ("1M", "320K", "4096"): --pool, --budget and
// --flash-budget read them the same way.
#pragma once

#include <cstdint>
#include <string_view>

#include "support/status.h"

namespace kiln {

/// Bytes from a positive count with an optional K or M suffix (powers of
/// 1024, either case), at most 2^40.
Expected<int64_t> ParseByteSize(std::string_view text);

}  // namespace kiln
