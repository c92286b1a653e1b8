// Running a compiled model on the host: the MLF's C plus a small harness,
// built with the system C compiler into an executable that reads input
// files and writes output files.
#pragma once

#include <filesystem>
#include <memory>
#include <cstdint>
#include <string>
#include <vector>

#include "mlf/model_library.h"
#include "support/status.h"
#include "support/temp_dir.h"

namespace kiln {

/// The host C compiler models are built with: $CC, default "cc".
std::string HostCompiler();

/// A model built into a host executable, ready to run many times.
class HostExecutable {
 public:
  /// Extracts `library` to a fresh temporary directory and compiles it with
  /// $CC (default "cc"), adding `extra_cflags` (e.g. a sanitizer). The
  /// directory is removed by the destructor.
  static Expected<HostExecutable> Build(const ModelLibrary& library, const std::vector<std::string>& extra_cflags = {});

  HostExecutable(HostExecutable&&) noexcept = default;
  HostExecutable& operator=(HostExecutable&&) = delete;

  const ModelInterface& interface() const { return interface_; }

  /// Checks the inputs (one file per model input, each exactly the input's
  /// size), runs one inference, and writes output_<k>.bin into output_dir.
  /// Outputs appear complete or not at all.
  Status Run(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& output_dir) const;
  /// For a capture build (`kiln debug`): runs once and returns the tensor
  /// stream, every operator's outputs back to back (interface().captures).
  Expected<std::vector<uint8_t>> Capture(const std::vector<std::filesystem::path>& inputs) const;

 private:
  /// Runs the harness once, its files written into `staging`.
  Status RunInto(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& staging) const;

  HostExecutable(std::unique_ptr<TempDir> dir, ModelInterface interface)
      : dir_(std::move(dir)), interface_(std::move(interface)) {}

  std::unique_ptr<TempDir> dir_;  ///< the extracted archive and the executable
  ModelInterface interface_;
};

/// The C source of the host harness for a model interface.
std::string HostHarnessSource(const ModelInterface& interface);

}  // namespace kiln
