// The footprint report: one self-contained HTML page (`kiln footprint
// --report`) showing where a model's flash and RAM go. Described part by
// part in docs/footprint-report.md.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "support/status.h"

namespace kiln::report {

/// Renders the report from an MLF metadata.json (the memory plan and the
/// operator list) and a footprint estimate in the JSON form of `kiln
/// footprint --format json`: title with model and target, the flash and
/// RAM totals (against the budget lines when `footprint["budget"]` is
/// present), the memory plan timeline (plan_svg.h), flash and RAM per
/// operator as bars, the flash parts and sections, the RAM parts, and every
/// buffer in a table. Needs no network: CSS, SVG and a small script are
/// inline. Optional fields of `footprint` that are absent are left out of
/// the page. A `metadata` without the fields Kiln writes gives an error.
Expected<std::string> RenderFootprintReport(const nlohmann::json& metadata, const nlohmann::json& footprint);

}  // namespace kiln::report
