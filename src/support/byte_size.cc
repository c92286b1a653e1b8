#include "support/byte_size.h"

#include <charconv>
#include <string>

namespace kiln {

Expected<int64_t> ParseByteSize(std::string_view text) {
  std::string_view digits = text;
  int64_t unit = 1;
  if (digits.ends_with('K') || digits.ends_with('k')) unit = 1024;
  if (digits.ends_with('M') || digits.ends_with('m')) unit = 1024 * 1024;
  if (unit != 1) digits.remove_suffix(1);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value <= 0 ||
      value > (int64_t{1} << 40) / unit)
    return MakeError("'{}' is not a size (a positive number of bytes, or with a K or M suffix)", std::string(text));
  return value * unit;
}

}  // namespace kiln
