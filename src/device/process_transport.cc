#include "device/process_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kiln {

Expected<std::unique_ptr<ProcessTransport>> ProcessTransport::Start(const std::vector<std::string>& argv,
                                                                    const std::filesystem::path& stderr_log) {
  int in_pipe[2], out_pipe[2];
  // Close-on-exec: an emulator started at the same time from another
  // thread (kiln tune -j) must not inherit this one's pipes, or this one's
  // death would never read as end of file. dup2 clears the flag on 0 and 1.
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return MakeError("pipe() failed: {}", std::strerror(errno));
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return MakeError("pipe() failed: {}", std::strerror(errno));
  }
  const int log_fd = open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return MakeError("fork() failed: {}", std::strerror(errno));
  if (pid == 0) {
    // The emulator goes with kiln, even when kiln is killed (no destructor
    // runs then).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    if (log_fd >= 0) dup2(log_fd, 2);
    close(in_pipe[0]);
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(out_pipe[1]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (log_fd >= 0) close(log_fd);
  close(in_pipe[0]);
  close(out_pipe[1]);
  signal(SIGPIPE, SIG_IGN);  // a dead device must give an error, not kill kiln
  return std::unique_ptr<ProcessTransport>(new ProcessTransport(pid, in_pipe[1], out_pipe[0]));
}

ProcessTransport::~ProcessTransport() {
  close(to_child_);
  close(from_child_);
  kill(pid_, SIGKILL);
  int status;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

Status ProcessTransport::Write(std::span<const uint8_t> data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(to_child_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MakeError("the device link is closed (the emulator exited)");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Expected<size_t> ProcessTransport::Read(std::span<uint8_t> buffer, rpc::Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - rpc::Clock::now()).count();
    if (left <= 0) return size_t{0};
    struct pollfd p = {from_child_, POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return MakeError("poll() failed: {}", std::strerror(errno));
    if (r == 0) continue;
    const ssize_t n = read(from_child_, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MakeError("the device link is closed (the emulator exited)");
    return static_cast<size_t>(n);
  }
}

}  // namespace kiln
