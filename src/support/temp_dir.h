// A temporary directory that is removed, with everything in it, when the
// object goes: for work files that must not outlive the command.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "support/status.h"

namespace kiln {

class TempDir {
 public:
  /// A new empty directory /tmp/<stem>-XXXXXX.
  static Expected<std::unique_ptr<TempDir>> Create(std::string_view stem);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace kiln
