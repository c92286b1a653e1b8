// The runtime C sources (runtime/), embedded in the kiln binary at build
// time so that every MLF archive carries the exact runtime it was built for.
#pragma once

#include <span>
#include <string_view>

namespace kiln {

struct EmbeddedFile {
  std::string_view path;      ///< relative to runtime/, e.g. "kernels/conv2d_s8.c"
  std::string_view contents;
};

/// All runtime files, sorted by path.
std::span<const EmbeddedFile> EmbeddedRuntimeFiles();

/// The file at `path`, or nullptr.
const EmbeddedFile* FindEmbeddedRuntimeFile(std::string_view path);

}  // namespace kiln
