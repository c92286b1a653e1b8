#include "support/cache_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace kiln {

namespace fs = std::filesystem;

fs::path CacheDir() {
  if (const char* d = std::getenv("KILN_CACHE_DIR"); d != nullptr && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d != nullptr && *d) return fs::path(d) / "kiln";
  if (const char* d = std::getenv("HOME"); d != nullptr && *d) return fs::path(d) / ".cache" / "kiln";
  return fs::temp_directory_path() / "kiln-cache";
}

void WriteCacheFile(const fs::path& path, std::string_view text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path partial = path.string() + "." + std::to_string(static_cast<long>(getpid())) + ".partial";
  if (std::ofstream out(partial, std::ios::binary); out) {
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (out) fs::rename(partial, path, ec);
    if (ec || !out) fs::remove(partial, ec);
  }
}

}  // namespace kiln
