// QEMU's machine monitor (QMP) on a Unix socket: how Kiln presses an
// emulated board's reset button. The soak test (docs/soak.md) resets the
// board part-way through a request frame to check that the host recovers.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/status.h"

namespace kiln {

class QemuMonitor {
 public:
  /// The QEMU arguments that open a QMP monitor listening on `socket` (QEMU
  /// does not wait for a client).
  static std::vector<std::string> QemuArguments(const std::filesystem::path& socket);
  /// Connects to the monitor of a QEMU started with those arguments, waiting
  /// up to `timeout` for it to listen, and enters command mode.
  static Expected<std::unique_ptr<QemuMonitor>> Connect(const std::filesystem::path& socket,
                                                        std::chrono::milliseconds timeout);
  ~QemuMonitor();
  QemuMonitor(const QemuMonitor&) = delete;
  QemuMonitor& operator=(const QemuMonitor&) = delete;

  /// Resets the board (system_reset: CPU and devices, firmware image
  /// reloaded) and returns once QEMU reports that the reset happened.
  Status SystemReset();

 private:
  explicit QemuMonitor(int fd) : fd_(fd) {}
  /// Sends one command and waits for its return, collecting events on the way.
  Expected<nlohmann::json> Execute(const std::string& command);
  /// The next JSON line from QEMU, waiting until `deadline`.
  Expected<nlohmann::json> ReadMessage(std::chrono::steady_clock::time_point deadline);

  int fd_;
  std::string received_;  ///< bytes after the last complete line
  std::vector<std::string> events_;  ///< names of events seen and not yet consumed
};

}  // namespace kiln
