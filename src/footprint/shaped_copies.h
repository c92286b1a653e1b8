// The kernels specialised to a model's layer shapes (kernels/specialise.h)
// are defined in the generated source, and what they take depends on the
// shape compiled into them: GCC folds away the paths a shape never takes.
// The size table cannot know them, so the footprint measures them: the
// generated source's shaped functions alone, compiled with the target's
// toolchain as the boards compile it, once per shape.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "footprint/size_table.h"
#include "support/status.h"

namespace kiln::footprint {

struct ShapedCopy {
  int64_t bytes = 0;  ///< code (and any read-only data it brings), as compiled
  int64_t frame = 0;  ///< its own stack frame (-fcallgraph-info=su)
  bool frame_bounded = true;
};

struct ShapedCopies {
  std::map<std::string, ShapedCopy> functions;  ///< by name
  std::set<std::string> externals;              ///< what they call outside themselves (memcpy ...)
};

/// The shaped functions `source` (a module's generated C) defines,
/// measured with the toolchain of `table` against this kiln's runtime. Each shape is compiled
/// once: its figures are cached (in memory and in the cache folder, beside
/// the size table), and a model whose shapes are all known, or that has
/// none, runs no compiler.
Expected<ShapedCopies> MeasureShapedCopies(const std::string& source,
                                           const SizeTable& table);

}  // namespace kiln::footprint
