#include "support/temp_dir.h"

#include <stdlib.h>

#include <string>

namespace kiln {

namespace fs = std::filesystem;

Expected<std::unique_ptr<TempDir>> TempDir::Create(std::string_view stem) {
  std::string pattern = (fs::temp_directory_path() / (std::string(stem) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) return MakeError("cannot create a temporary directory");
  return std::unique_ptr<TempDir>(new TempDir(pattern));
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace kiln
