// Running a compiled model on an emulated board: build the firmware (the
// MLF sources, the protocol server, the board's platform hooks and the
// generated descriptor) with the board's cross compiler, boot it in QEMU,
// and talk to it over the device protocol.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "device/boards.h"
#include "device/process_transport.h"
#include "device/qemu_monitor.h"
#include "device/qemu_trace.h"
#include "mlf/model_library.h"
#include "rpc/device_client.h"
#include "support/status.h"
#include "support/temp_dir.h"

namespace kiln {

/// Writes the firmware's sources to `dir` and compiles them to
/// dir/firmware.elf. With capture_bytes > 0 the server gets a capture buffer
/// of that size (for a module generated with capture hooks: `kiln debug`).
Expected<std::filesystem::path> BuildFirmware(const ModelLibrary& library, const Board& board,
                                              const std::filesystem::path& dir, uint32_t capture_bytes = 0);

struct DeviceSessionOptions {
  /// On a board with a cycle model, QEMU also streams its execution log to
  /// Kiln, which profiles each run (RunProfile).
  bool profile_cycles = false;
  /// QEMU opens its monitor, so that ResetBoard() can reboot the board.
  bool board_reset = false;
  /// Bytes of the server's debug capture buffer (BuildFirmware); 0: none.
  uint32_t capture_bytes = 0;
  /// How long one request may take before the board counts as hung (each
  /// of two attempts). One inference of a large model takes seconds of
  /// emulation: the default is generous.
  std::chrono::milliseconds request_timeout{60000};
};

/// A model running on a booted board.
class DeviceSession {
 public:
  /// Builds the firmware in a temporary directory and boots it.
  static Expected<std::unique_ptr<DeviceSession>> Start(const ModelLibrary& library, const Board& board,
                                                        DeviceSessionOptions options = {});

  const ModelInterface& interface() const { return interface_; }
  rpc::DeviceClient& client() { return *client_; }
  /// The byte link to the board (QEMU's serial port), for a client of
  /// one's own, e.g. behind a rpc::FaultInjector.
  rpc::Transport& link() { return *transport_; }
  /// Reboots the board as its reset button would, and returns once it has
  /// reset; the device then answers with session 0 until an INFO. Needs
  /// options.board_reset.
  Status ResetBoard();

  /// Like HostExecutable::Run: checks input sizes, runs once, writes
  /// output_<k>.bin into output_dir (complete or not at all). Returns the
  /// inference's timer ticks.
  Expected<uint64_t> Run(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& output_dir);
  /// For a capture build (`kiln debug`; Start with capture_bytes): the
  /// tensor stream of one inference from the initial state, read one
  /// capture-buffer window per run.
  Expected<std::vector<uint8_t>> Capture(const std::vector<std::filesystem::path>& inputs);
  /// Whether runs are profiled (asked for, and the board has a cycle model).
  bool profiles_cycles() const { return trace_ != nullptr; }
  /// The last Run's instructions and estimated cycles, per operator.
  Expected<RunProfile> LastRunProfile();

 private:
  DeviceSession() = default;
  /// Checks the input files' sizes and writes them to the device.
  Status SetInputs(const std::vector<std::filesystem::path>& inputs);
  // Destroyed in reverse order: the client, the monitor and QEMU (the
  // transport) go before the trace QEMU writes into, the folder last.
  std::unique_ptr<TempDir> dir_;  ///< firmware, QEMU's log and sockets
  ModelInterface interface_;
  std::unique_ptr<QemuTrace> trace_;  ///< outlives QEMU, which writes into it
  uint64_t runs_before_last_run_ = 0;
  std::unique_ptr<ProcessTransport> transport_;
  std::unique_ptr<QemuMonitor> monitor_;
  std::unique_ptr<rpc::DeviceClient> client_;
};

}  // namespace kiln
