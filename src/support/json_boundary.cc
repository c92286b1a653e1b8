#include "support/json_boundary.h"

#include <cmath>
#include <optional>

namespace kiln {
namespace {

// The JSON pointer of the first float under `j` that is not finite or,
// where it may be cast to an integer (`bounded`), not within +-2^31.
std::optional<nlohmann::json::json_pointer> FindFloatOutOfRange(const nlohmann::json& j,
                                                               const nlohmann::json::json_pointer& at, bool bounded) {
  if (j.is_number_float()) {
    const double v = j.get<double>();
    if (!std::isfinite(v) || (bounded && std::fabs(v) >= 2147483648.0)) return at;
    return std::nullopt;
  }
  if (j.is_object()) {
    for (const auto& [key, value] : j.items())
      if (auto found = FindFloatOutOfRange(value, at / key, bounded && key != kFloatMember)) return found;
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      if (auto found = FindFloatOutOfRange(j[i], at / i, bounded)) return found;
  }
  return std::nullopt;
}

}  // namespace

Status CheckFloatsInRange(const nlohmann::json& j, std::string_view document) {
  if (auto pointer = FindFloatOutOfRange(j, nlohmann::json::json_pointer(), /*bounded=*/true))
    return MakeError("{} does not have the expected shape: ({}) a number out of range", document,
                     pointer->to_string());
  return Status::Ok();
}

}  // namespace kiln
