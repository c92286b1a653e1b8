#include "support/json_boundary.h"

#include <cmath>
#include <optional>

namespace kiln {
namespace {

// The JSON pointer of the first float out of range under `j`.
std::optional<nlohmann::json::json_pointer> FindFloatOutOfRange(const nlohmann::json& j,
                                                               const nlohmann::json::json_pointer& at) {
  if (j.is_number_float()) {
    const double v = j.get<double>();
    if (!std::isfinite(v) || std::fabs(v) >= 2147483648.0) return at;
    return std::nullopt;
  }
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key == kFloatMember) continue;  // read as floating point only
      if (auto found = FindFloatOutOfRange(value, at / key)) return found;
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      if (auto found = FindFloatOutOfRange(j[i], at / i)) return found;
  }
  return std::nullopt;
}

}  // namespace

Status CheckFloatsInRange(const nlohmann::json& j, std::string_view document) {
  if (auto pointer = FindFloatOutOfRange(j, nlohmann::json::json_pointer()))
    return MakeError("{} does not have the expected shape: ({}) a number out of range", document,
                     pointer->to_string());
  return Status::Ok();
}

}  // namespace kiln
