// Running a compiled model on the host: the MLF's C plus a small harness,
// built with the system C compiler into an executable that reads input
// files and writes output files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mlf/model_library.h"
#include "support/status.h"

namespace kiln {

/// A model built into a host executable, ready to run many times.
class HostExecutable {
 public:
  /// Extracts `library` to a fresh temporary directory and compiles it with
  /// $CC (default "cc"), adding `extra_cflags` (e.g. a sanitizer). The
  /// directory is removed by the destructor.
  static Expected<HostExecutable> Build(const ModelLibrary& library, const std::vector<std::string>& extra_cflags = {});

  HostExecutable(HostExecutable&& other) noexcept;
  HostExecutable& operator=(HostExecutable&&) = delete;
  ~HostExecutable();

  const ModelInterface& interface() const { return interface_; }

  /// Checks the inputs (one file per model input, each exactly the input's
  /// size), runs one inference, and writes output_<k>.bin into output_dir.
  /// Outputs appear complete or not at all.
  Status Run(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& output_dir) const;

 private:
  HostExecutable(std::filesystem::path dir, ModelInterface interface)
      : dir_(std::move(dir)), interface_(std::move(interface)) {}

  std::filesystem::path dir_;
  ModelInterface interface_;
};

/// The C source of the host harness for a model interface.
std::string HostHarnessSource(const ModelInterface& interface);

}  // namespace kiln
