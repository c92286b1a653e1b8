#include "memory/access_pattern.h"

#include <algorithm>

namespace kiln {

int64_t StreamingAccess::InputNeededFrom(int64_t unit) const {
  const int64_t per_group = std::max<int64_t>(units_per_group, 1);
  const int64_t group = unit / per_group;
  const int64_t step = unit % per_group;
  const int64_t from = group * group_input_bytes + std::max<int64_t>(0, step * input_step_bytes - input_lag_bytes);
  return std::clamp<int64_t>(from, 0, input_bytes);
}

int64_t SafeOverlapDistance(const StreamingAccess& a) {
  // Writing unit u touches output bytes up to (u + 1) * unit - 1; with the
  // output D bytes below the input, that is input byte (u + 1) * unit - 1 - D,
  // which must be below InputNeededFrom(u).
  int64_t distance = 0;
  for (int64_t u = 0; u < a.units; ++u)
    distance = std::max(distance, (u + 1) * a.output_unit_bytes - a.InputNeededFrom(u));
  return distance;
}

}  // namespace kiln
