#include "codegen/embedded_runtime.h"

namespace kiln {

const EmbeddedFile* FindEmbeddedRuntimeFile(std::string_view path) {
  for (const EmbeddedFile& file : EmbeddedRuntimeFiles()) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

}  // namespace kiln
