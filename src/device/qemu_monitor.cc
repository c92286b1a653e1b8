// QMP client for resetting an emulated board; see qemu_monitor.h.
#include "device/qemu_monitor.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

namespace kiln {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Every answer comes at once unless QEMU is stuck: then the test must fail, not hang.
constexpr std::chrono::seconds kAnswerTimeout(10);

}  // namespace

std::vector<std::string> QemuMonitor::QemuArguments(const fs::path& socket) {
  return {"-qmp", "unix:" + socket.string() + ",server=on,wait=off"};
}

Expected<std::unique_ptr<QemuMonitor>> QemuMonitor::Connect(const fs::path& socket,
                                                            std::chrono::milliseconds timeout) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket.string().size() >= sizeof(address.sun_path))
    return MakeError("the QEMU monitor socket path '{}' is too long", socket.string());
  std::strcpy(address.sun_path, socket.c_str());
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return MakeError("socket() failed: {}", std::strerror(errno));
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
      std::unique_ptr<QemuMonitor> monitor(new QemuMonitor(fd));
      // QEMU greets first, then accepts commands after qmp_capabilities.
      KILN_ASSIGN_OR_RETURN(nlohmann::json greeting, monitor->ReadMessage(Clock::now() + kAnswerTimeout));
      if (!greeting.contains("QMP")) return MakeError("'{}' is not a QEMU monitor: it said {}", socket.string(),
                                                      greeting.dump());
      KILN_RETURN_IF_ERROR(monitor->Execute(R"({"execute": "qmp_capabilities"})").status());
      return monitor;
    }
    const int error = errno;
    close(fd);
    if (Clock::now() >= deadline)
      return MakeError("cannot connect to QEMU's monitor at '{}': {}", socket.string(), std::strerror(error));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // QEMU is still starting
  }
}

QemuMonitor::~QemuMonitor() { close(fd_); }

Expected<nlohmann::json> QemuMonitor::ReadMessage(Clock::time_point deadline) {
  while (true) {
    const size_t newline = received_.find('\n');
    if (newline != std::string::npos) {
      const std::string line = received_.substr(0, newline);
      received_.erase(0, newline + 1);
      nlohmann::json message = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (message.is_discarded() || !message.is_object())
        return MakeError("QEMU's monitor sent something that is not a JSON object: {}", line);
      return message;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return MakeError("QEMU's monitor did not answer within {} s", kAnswerTimeout.count());
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    const int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return MakeError("poll() on QEMU's monitor failed: {}", std::strerror(errno));
    if (ready <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MakeError("QEMU's monitor closed the connection (did QEMU exit?)");
    received_.append(buffer, static_cast<size_t>(n));
  }
}

Expected<nlohmann::json> QemuMonitor::Execute(const std::string& command) {
  const std::string line = command + "\n";
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = send(fd_, line.data() + done, line.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MakeError("cannot send to QEMU's monitor: {}", std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  const auto deadline = Clock::now() + kAnswerTimeout;
  while (true) {
    KILN_ASSIGN_OR_RETURN(nlohmann::json message, ReadMessage(deadline));
    if (message.contains("event")) {
      events_.push_back(message.value("event", ""));
      continue;
    }
    if (message.contains("error"))
      return MakeError("QEMU's monitor refused {}: {}", command, message["error"].value("desc", message.dump()));
    if (message.contains("return")) return message["return"];
  }
}

Status QemuMonitor::SystemReset() {
  events_.clear();
  KILN_RETURN_IF_ERROR(Execute(R"({"execute": "system_reset"})").status());
  // The command only requests the reset; QEMU's RESET event says it is done
  // (it may come before or after the command's return).
  const auto deadline = Clock::now() + kAnswerTimeout;
  while (std::find(events_.begin(), events_.end(), "RESET") == events_.end()) {
    KILN_ASSIGN_OR_RETURN(nlohmann::json message, ReadMessage(deadline));
    if (message.contains("event")) events_.push_back(message.value("event", ""));
  }
  events_.clear();
  return Status::Ok();
}

}  // namespace kiln
