// Where Kiln keeps what it can make again but would rather not: footprint
// size tables, compiled runtime objects. Everything in it is keyed by its
// inputs, so a stale entry is never used, and deleting it is always safe.
#pragma once

#include <filesystem>
#include <string_view>

namespace kiln {

/// $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln, else a
/// folder in the system's temporary directory.
std::filesystem::path CacheDir();

/// Writes `text` to `path` (in the cache) through a file of this process
/// renamed into place, so that another process never reads half of it.
/// Best effort: without a writable cache, the caller only makes it again.
void WriteCacheFile(const std::filesystem::path& path, std::string_view text);

}  // namespace kiln
