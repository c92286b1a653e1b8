// JSON-RPC 2.0 over a child's stdin/stdout. The parent's pipe ends are
// non-blocking and every wait is a poll() against the call's deadline, so
// no server behaviour can block the client past that deadline. The server
// leads its own process group so that a timeout also stops what it started
// (make, the compiled program, an emulator).
#include "project/json_rpc_client.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "support/utf8.h"

namespace kiln {
namespace {

using Clock = std::chrono::steady_clock;

/// A response line longer than this is treated as garbage: no Project API
/// response needs it (transport reads are bounded by the caller).
constexpr size_t kMaxLineBytes = size_t{64} << 20;
constexpr size_t kStderrTailBytes = 4096;

/// write() that reports EPIPE instead of raising SIGPIPE, without changing
/// the process-wide disposition: SIGPIPE is blocked in this thread for the
/// duration, and a SIGPIPE the write generated is consumed.
ssize_t WriteNoSigpipe(int fd, const char* data, size_t size) {
  sigset_t pipe_set, old_set, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigemptyset(&pending);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  ssize_t n = write(fd, data, size);
  const int saved_errno = errno;
  if (n < 0 && saved_errno == EPIPE && !was_pending) {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  errno = saved_errno;
  return n;
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

/// Returns true once the child has exited (without reaping it, so its pid
/// and process group id stay reserved), waiting until `deadline`.
bool WaitForExit(pid_t pid, Clock::time_point deadline, siginfo_t* info) {
  for (;;) {
    std::memset(info, 0, sizeof(*info));
    if (waitid(P_PID, static_cast<id_t>(pid), info, WEXITED | WNOHANG | WNOWAIT) == 0 && info->si_pid == pid)
      return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

JsonRpcReply ParseJsonRpcReply(std::string_view line, int64_t id, std::string_view method, std::string_view server) {
  auto broken = [](std::string message) { return JsonRpcReply{JsonRpcReply::kBroken, nullptr, std::move(message)}; };
  const nlohmann::json response = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded())
    return broken(fmt::format("{} printed something that is not JSON in answer to '{}': '{}' (a server must keep "
                              "stdout for JSON-RPC and log to stderr)",
                              server, method, PrintableExcerpt(line)));
  if (!response.is_object() || !response.contains("jsonrpc") || response["jsonrpc"] != "2.0" ||
      !response.contains("id"))
    return broken(
        fmt::format("{} sent a malformed JSON-RPC response to '{}': '{}'", server, method, PrintableExcerpt(line)));
  if (response["id"] != nlohmann::json(id))
    return broken(fmt::format("{} answered request id {} while '{}' (id {}) was waiting: '{}'", server,
                              PrintableExcerpt(response["id"].dump()), method, id, PrintableExcerpt(line)));
  if (response.contains("error")) {
    const nlohmann::json& e = response["error"];
    if (!e.is_object() || !e.contains("message") || !e["message"].is_string())
      return broken(fmt::format("{} sent a malformed JSON-RPC error object for '{}': '{}'", server, method,
                                PrintableExcerpt(line)));
    return {JsonRpcReply::kServerError, nullptr,
            fmt::format("{}: '{}' failed: {}", server, method, PrintableName(e["message"].get<std::string>()))};
  }
  if (!response.contains("result"))
    return broken(fmt::format("{} sent a JSON-RPC response to '{}' with neither result nor error", server, method));
  return {JsonRpcReply::kResult, response["result"], ""};
}

Expected<JsonRpcProcess> JsonRpcProcess::Start(const std::vector<std::string>& argv,
                                               const std::filesystem::path& working_dir, std::string display_name) {
  if (argv.empty()) return MakeError("internal error: empty server command");
  // O_CLOEXEC everywhere: other children Kiln starts must not inherit the
  // parent's ends, or the server would never see end of file on stdin.
  int in_pipe[2], out_pipe[2], err_pipe[2], exec_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return MakeError("pipe() failed: {}", std::strerror(errno));
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 || pipe2(exec_pipe, O_CLOEXEC) != 0)
    return MakeError("pipe() failed: {}", std::strerror(errno));
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string dir = working_dir.string();
  const pid_t pid = fork();
  if (pid < 0) return MakeError("fork() failed: {}", std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int e = 0;
    if (!dir.empty() && chdir(dir.c_str()) != 0) {
      e = errno;
    } else {
      execvp(args[0], args.data());
      e = errno;
    }
    (void)!write(exec_pipe[1], &e, sizeof(e));
    _exit(127);
  }
  setpgid(pid, pid);  // also in the parent: whichever runs first wins the race
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(exec_pipe[1]);
  int exec_errno = 0;
  ssize_t n;
  while ((n = read(exec_pipe[0], &exec_errno, sizeof(exec_errno))) < 0 && errno == EINTR) {
  }
  close(exec_pipe[0]);
  JsonRpcProcess p;
  p.pid_ = pid;
  p.stdin_fd_ = in_pipe[1];
  p.stdout_fd_ = out_pipe[0];
  p.stderr_fd_ = err_pipe[0];
  p.display_name_ = std::move(display_name);
  if (n == sizeof(exec_errno)) {
    p.Stop(std::chrono::milliseconds(0));
    return MakeError("cannot start {} ('{}' in '{}'): {}", p.display_name_, argv[0], dir, std::strerror(exec_errno));
  }
  for (int fd : {p.stdin_fd_, p.stdout_fd_, p.stderr_fd_}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return p;
}

void JsonRpcProcess::MoveFrom(JsonRpcProcess& other) {
  pid_ = other.pid_;
  stdin_fd_ = other.stdin_fd_;
  stdout_fd_ = other.stdout_fd_;
  stderr_fd_ = other.stderr_fd_;
  next_id_ = other.next_id_;
  display_name_ = std::move(other.display_name_);
  stdout_buffer_ = std::move(other.stdout_buffer_);
  stderr_tail_ = std::move(other.stderr_tail_);
  exit_status_ = other.exit_status_;
  broken_ = std::move(other.broken_);
  other.pid_ = -1;
  other.stdin_fd_ = other.stdout_fd_ = other.stderr_fd_ = -1;
}

JsonRpcProcess::JsonRpcProcess(JsonRpcProcess&& other) noexcept { MoveFrom(other); }

JsonRpcProcess& JsonRpcProcess::operator=(JsonRpcProcess&& other) noexcept {
  if (this != &other) {
    Stop();
    MoveFrom(other);
  }
  return *this;
}

JsonRpcProcess::~JsonRpcProcess() { Stop(); }

void JsonRpcProcess::Stop(std::chrono::milliseconds grace) {
  CloseFd(stdin_fd_);  // end of file: a well-behaved server exits now
  if (pid_ > 0) {
    siginfo_t info;
    const auto deadline = Clock::now() + grace;
    bool exited = false;
    // Drain stderr while waiting, so a server blocked writing its log can exit.
    while (!(exited = WaitForExit(pid_, Clock::now(), &info)) && Clock::now() < deadline) {
      DrainStderr();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // The leader is alive or a zombie, so its process group id cannot have
    // been reused: killing the group reaches only what the server started.
    kill(-pid_, SIGKILL);
    if (!exited) kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exit_status_ = status;
    pid_ = -1;
  }
  DrainStderr();
  CloseFd(stdout_fd_);
  CloseFd(stderr_fd_);
}

bool JsonRpcProcess::DrainStdout() {
  if (stdout_fd_ < 0) return false;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n > 0) {
      stdout_buffer_.append(buf, static_cast<size_t>(n));
      if (stdout_buffer_.size() > kMaxLineBytes) return true;  // the caller reports it
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;  // end of file, or an error that amounts to it
  }
}

void JsonRpcProcess::DrainStderr() {
  if (stderr_fd_ < 0) return;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(stderr_fd_, buf, sizeof(buf));
    if (n > 0) {
      stderr_tail_.append(buf, static_cast<size_t>(n));
      if (stderr_tail_.size() > kStderrTailBytes)
        stderr_tail_.erase(0, stderr_tail_.size() - kStderrTailBytes);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) CloseFd(stderr_fd_);
    return;
  }
}

Error JsonRpcProcess::Fail(Error error) {
  Stop(std::chrono::milliseconds(0));
  broken_ = error;
  return error;
}

std::string JsonRpcProcess::DescribeExit() {
  siginfo_t info;
  // The server closed its stdout; give it a moment to finish exiting.
  if (pid_ <= 0 || !WaitForExit(pid_, Clock::now() + std::chrono::milliseconds(500), &info))
    return "closed its stdout";
  DrainStderr();
  std::string how = info.si_code == CLD_EXITED ? fmt::format("exited with code {}", info.si_status)
                                               : fmt::format("was killed by signal {}", info.si_status);
  std::string tail = stderr_tail_;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  if (!tail.empty()) how += fmt::format("; its last messages:\n{}", tail);
  return how;
}

Expected<nlohmann::json> JsonRpcProcess::Call(const std::string& method, const nlohmann::json& params,
                                              std::chrono::milliseconds timeout) {
  if (broken_) return *broken_;
  if (pid_ <= 0) return MakeError("{} is not running", display_name_);
  const int64_t id = next_id_++;
  const std::string request =
      nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump() + "\n";
  const auto deadline = Clock::now() + timeout;
  size_t written = 0;
  bool stdout_open = true;
  for (;;) {
    // Consume every complete line; blank lines are tolerated.
    size_t newline;
    while ((newline = stdout_buffer_.find('\n')) != std::string::npos) {
      std::string line = stdout_buffer_.substr(0, newline);
      stdout_buffer_.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      JsonRpcReply reply = ParseJsonRpcReply(line, id, method, display_name_);
      if (reply.kind == JsonRpcReply::kBroken) return Fail(MakeError("{}", reply.message));
      if (reply.kind == JsonRpcReply::kServerError) return MakeError("{}", reply.message);
      return std::move(reply.result);
    }
    if (stdout_buffer_.size() > kMaxLineBytes)
      return Fail(MakeError("{} sent over {} MiB without a newline in answer to '{}'", display_name_,
                            kMaxLineBytes >> 20, method));
    if (!stdout_open)
      return Fail(MakeError("{} stopped while handling '{}': it {}", display_name_, method, DescribeExit()));
    const auto now = Clock::now();
    if (now >= deadline)
      return Fail(MakeError("{} did not answer '{}' within {:.1f} s; it was stopped", display_name_, method,
                            std::chrono::duration<double>(timeout).count()));
    pollfd fds[3];
    nfds_t count = 0;
    fds[count++] = {stdout_fd_, POLLIN, 0};
    const bool want_write = written < request.size();
    if (want_write) fds[count++] = {stdin_fd_, POLLOUT, 0};
    if (stderr_fd_ >= 0) fds[count++] = {stderr_fd_, POLLIN, 0};
    // Short polls: a server that exits while its child keeps stdout open
    // produces no event, so its exit is checked between polls.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    const int ready = poll(fds, count, static_cast<int>(std::min<int64_t>(left, 100)));
    if (ready < 0 && errno != EINTR) return Fail(MakeError("poll() failed: {}", std::strerror(errno)));
    if (want_write) {
      const ssize_t n = WriteNoSigpipe(stdin_fd_, request.data() + written, request.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        // The server closed its stdin: it has exited or is about to.
        stdout_open = DrainStdout();
        DrainStderr();
        if (stdout_open)
          return Fail(MakeError("{} stopped reading requests before '{}': {}", display_name_, method,
                                DescribeExit()));
        continue;
      }
    }
    // A server that exits while a process it started still holds its
    // stdout would never give end of file: watch the process itself. It is
    // checked before draining, so every byte written before exiting counts.
    siginfo_t info;
    const bool exited = WaitForExit(pid_, Clock::now(), &info);
    stdout_open = DrainStdout();
    DrainStderr();
    if (exited && stdout_buffer_.find('\n') == std::string::npos) stdout_open = false;
  }
}

}  // namespace kiln
