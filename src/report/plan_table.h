// The memory plan as text: what `kiln plan` prints. Every buffer (tensor
// or scratch) with its size, alignment, live range, pool and offset; the
// overlaps that declared access patterns allowed and the aliases; each
// pool's size beside its lower bounds.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "support/status.h"

namespace kiln::report {

/// The table of an MLF metadata.json's "memory" and "operators" (what the
/// model file `model` compiled to). A `metadata` without the fields Kiln
/// writes gives an error naming one.
Expected<std::string> RenderPlanTable(const nlohmann::json& metadata, std::string_view model);

}  // namespace kiln::report
