#include "report/step_usage.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace kiln::report {
namespace {

/// Total length of the union of [begin, end) ranges.
int64_t UnionLength(std::vector<std::pair<int64_t, int64_t>> ranges) {
  std::sort(ranges.begin(), ranges.end());
  int64_t total = 0, covered_to = INT64_MIN;
  for (const auto& [begin, end] : ranges) {
    const int64_t from = std::max(begin, covered_to);
    if (end > from) total += end - from;
    covered_to = std::max(covered_to, end);
  }
  return total;
}

}  // namespace

bool IsScratchBuffer(const nlohmann::json& buffer) {
  return buffer.value("name", std::string()).starts_with("scratch");
}

std::vector<StepUsage> UsagePerStep(const nlohmann::json& metadata) {
  const size_t steps = metadata.value("operators", nlohmann::json::array()).size();
  std::vector<StepUsage> usage(steps);
  const nlohmann::json& memory = metadata.at("memory");
  std::set<std::string> read_only;
  for (const auto& pool : memory.at("pools"))
    if (pool.value("read_only", false)) read_only.insert(pool.at("name").get<std::string>());

  for (size_t step = 0; step < steps; ++step) {
    std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> tensor_ranges;  // per pool
    for (const auto& b : memory.at("buffers")) {
      const std::string pool = b.at("pool");
      if (read_only.contains(pool)) continue;
      const int first = b.at("live").at(0), last = b.at("live").at(1);
      if (static_cast<int>(step) < first || static_cast<int>(step) > last) continue;
      const int64_t offset = b.at("offset"), size = b.at("size_bytes");
      if (IsScratchBuffer(b))
        usage[step].scratch_bytes += size;
      else
        tensor_ranges[pool].emplace_back(offset, offset + size);
    }
    for (auto& [pool, ranges] : tensor_ranges) usage[step].tensor_bytes += UnionLength(std::move(ranges));
  }
  return usage;
}

}  // namespace kiln::report
