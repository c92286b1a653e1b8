#include "device/qemu_trace.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kiln {

namespace fs = std::filesystem;

QemuTrace::QemuTrace(fs::path fifo, std::string run_function, std::string hook_function)
    : fifo_(std::move(fifo)), profiler_(std::move(run_function), std::move(hook_function)) {}

Expected<std::unique_ptr<QemuTrace>> QemuTrace::Start(const fs::path& dir, std::string_view module_name) {
  const fs::path fifo = dir / "qemu-exec.fifo";
  std::error_code ec;
  fs::remove(fifo, ec);
  if (mkfifo(fifo.c_str(), 0600) != 0)
    return MakeError("cannot make the pipe '{}' for QEMU's execution log: {}", fifo.string(), std::strerror(errno));
  std::unique_ptr<QemuTrace> trace(
      new QemuTrace(fifo, "kiln_" + std::string(module_name) + "_run", "kiln_platform_ticks"));
  trace->reader_ = std::thread([t = trace.get()] { t->Read(); });
  return trace;
}

QemuTrace::~QemuTrace() {
  stop_ = true;
  if (reader_.joinable()) reader_.join();
  std::error_code ec;
  fs::remove(fifo_, ec);
}

std::vector<std::string> QemuTrace::QemuArguments() const {
  return {"-d", "in_asm,exec,nochain", "-D", fifo_.string()};
}

void QemuTrace::Read() {
  // Non-blocking, polled: the thread must stop when asked even if QEMU
  // never opened the pipe, or is still writing.
  const int fd = open(fifo_.c_str(), O_RDONLY | O_NONBLOCK);
  std::vector<char> buffer(1 << 20);
  while (fd >= 0 && !stop_) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    const int ready = poll(&p, 1, 100);
    if (ready <= 0) continue;
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      std::lock_guard lock(mutex_);
      profiler_.Feed(std::string_view(buffer.data(), static_cast<size_t>(n)));
      progress_.notify_all();
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    break;  // QEMU closed the log (or the pipe failed)
  }
  if (fd >= 0) close(fd);
  std::lock_guard lock(mutex_);
  ended_ = true;
  progress_.notify_all();
}

uint64_t QemuTrace::completed_runs() {
  std::lock_guard lock(mutex_);
  return profiler_.completed_runs();
}

Expected<RunProfile> QemuTrace::WaitForRun(uint64_t runs_before) {
  // The run has returned: the log behind it is at most a pipe's worth away.
  constexpr std::chrono::milliseconds timeout(15000);
  std::unique_lock lock(mutex_);
  const bool seen =
      progress_.wait_for(lock, timeout, [&] { return profiler_.completed_runs() > runs_before || ended_; });
  if (profiler_.completed_runs() > runs_before) return profiler_.last_run();
  if (!seen) return MakeError("QEMU's execution log did not show the inference within {} s", timeout.count() / 1000);
  return MakeError("QEMU's execution log ended before the inference returned ({} lines not understood)",
                   profiler_.unparsed_lines());
}

}  // namespace kiln
