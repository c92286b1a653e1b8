#include "support/cache_dir.h"

#include <cstdlib>

namespace kiln {

namespace fs = std::filesystem;

fs::path CacheDir() {
  if (const char* d = std::getenv("KILN_CACHE_DIR"); d != nullptr && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d != nullptr && *d) return fs::path(d) / "kiln";
  if (const char* d = std::getenv("HOME"); d != nullptr && *d) return fs::path(d) / ".cache" / "kiln";
  return fs::temp_directory_path() / "kiln-cache";
}

}  // namespace kiln
