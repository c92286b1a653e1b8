// Where Kiln keeps what it can make again but would rather not: footprint
// size tables, compiled runtime objects. Everything in it is keyed by its
// inputs, so a stale entry is never used, and deleting it is always safe.
#pragma once

#include <filesystem>

namespace kiln {

/// $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln, else a
/// folder in the system's temporary directory.
std::filesystem::path CacheDir();

}  // namespace kiln
