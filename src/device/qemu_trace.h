// Streaming QEMU's execution log into a RunProfiler while the board runs.
// QEMU writes the log (`-d in_asm,exec,nochain -D FIFO`) into a named pipe
// that a thread reads as it comes: nothing is stored, and the log, which
// grows by about 100 MB per 15 M instructions, never touches the disk.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "device/run_profile.h"
#include "support/status.h"

namespace kiln {

class QemuTrace {
 public:
  /// Makes the pipe in `dir` and starts reading it, profiling the runs of
  /// module `module_name` (kiln_<module>_run, operators bracketed by the
  /// KILN_PROFILE timer hook, kiln_platform_ticks).
  static Expected<std::unique_ptr<QemuTrace>> Start(const std::filesystem::path& dir, std::string_view module_name);
  ~QemuTrace();

  /// The arguments that make QEMU write the log into the pipe.
  std::vector<std::string> QemuArguments() const;
  const std::filesystem::path& pipe() const { return fifo_; }
  /// Calls of the run function profiled so far.
  uint64_t completed_runs();
  /// After a run has returned: waits until more than `runs_before` calls
  /// were profiled, and returns the last; an error if the log ends first,
  /// or lags the run by more than a few seconds.
  Expected<RunProfile> WaitForRun(uint64_t runs_before);

 private:
  QemuTrace(std::filesystem::path fifo, std::string run_function, std::string hook_function);
  void Read();

  std::filesystem::path fifo_;
  std::mutex mutex_;
  std::condition_variable progress_;
  RunProfiler profiler_;  ///< guarded by mutex_
  bool ended_ = false;    ///< guarded by mutex_: QEMU closed the log
  std::atomic<bool> stop_ = false;
  std::thread reader_;
};

}  // namespace kiln
