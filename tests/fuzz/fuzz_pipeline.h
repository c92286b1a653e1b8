// What the fuzz targets share: everything a model goes through after its
// importer, and everything that reads an archive, with the promises each
// step makes checked. A broken promise aborts, which libFuzzer reports as a
// crash; so does an exception that escapes (it would reach a user as an
// internal error instead of a message).
#pragma once

#include <cstdint>

#include "ir/graph.h"
#include "mlf/model_library.h"

namespace kiln::fuzz {

/// Measures (or loads from the cache) the size tables of the targets the
/// pipeline target compiles for, so that no single input pays for it.
void WarmSizeTables();

/// Compiles `graph` with the options `selector` picks (target, planner,
/// --opt, --io-in-pools, the graph executor or a kiln debug capture build;
/// the graph executor must take what the AoT one takes), writes the archive
/// as tar bytes and reads it
/// back (it must give the same files), and renders what `kiln plan` and
/// `kiln footprint` print from it.
void CompileAndRender(const Graph& graph, uint8_t selector);

/// What `kiln run`, `kiln footprint` and `kiln micro` read from an archive
/// that may come from anywhere: its interface, the memory plan's table and
/// picture, and the footprint estimate and report. Each gives a value or
/// an error; `trusted` (an archive Kiln just wrote) must give values.
void ReadArchive(const ModelLibrary& library, bool trusted);

}  // namespace kiln::fuzz
