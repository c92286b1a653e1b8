// A device protocol transport over a child process's stdin and stdout:
// QEMU with `-serial stdio`, or a host build of the protocol server.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "rpc/transport.h"

namespace kiln {

class ProcessTransport : public rpc::Transport {
 public:
  /// Starts argv[0] (searched in PATH); its stderr goes to `stderr_log`.
  static Expected<std::unique_ptr<ProcessTransport>> Start(const std::vector<std::string>& argv,
                                                           const std::filesystem::path& stderr_log);
  ~ProcessTransport() override;  ///< kills the process

  Status Write(std::span<const uint8_t> data) override;
  Expected<size_t> Read(std::span<uint8_t> buffer, rpc::Clock::time_point deadline) override;

 private:
  ProcessTransport(pid_t pid, int to_child, int from_child) : pid_(pid), to_child_(to_child), from_child_(from_child) {}
  pid_t pid_;
  int to_child_;
  int from_child_;
};

}  // namespace kiln
