// The memory plan as a picture: `kiln plan --svg` writes it alone and the
// footprint report (footprint_report.h) embeds it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "support/status.h"

namespace kiln::report {

/// Renders the "memory" and "operators" objects of an MLF metadata.json
/// (docs/model-library-format.md) as one self-contained SVG element: a
/// panel per read-write pool with operator steps across and pool offsets
/// down; each buffer a box over its live range and bytes, coloured by kind
/// (tensor or scratch), carrying data-buffer="NAME" and a <title> with its
/// tensor, size, offset and live range; declared overlaps hatched; the peak
/// step's column shaded; lines at the lower bound and the planned size.
/// The result is well-formed XML whatever the names hold, with no XML
/// declaration, so it also embeds in HTML as is. A `metadata` without the
/// fields Kiln writes (an archive from elsewhere) gives an error naming one.
Expected<std::string> RenderPlanSvg(const nlohmann::json& metadata);

}  // namespace kiln::report
