#include "support/process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kiln {

Expected<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                   const std::filesystem::path& working_dir) {
  if (argv.empty()) return MakeError("internal error: empty command");
  int out_pipe[2];
  int err_pipe[2];  // reports a failed exec to the parent
  // Close-on-exec on both pipes: children started concurrently from other
  // threads (kiln conformance -j) must not inherit them, or this child's
  // EOF would wait for theirs. dup2 below clears the flag on fds 1 and 2.
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    return MakeError("pipe() failed: {}", std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) return MakeError("fork() failed: {}", std::strerror(errno));
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(out_pipe[1], 2);
    close(out_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[0]);
    if (!working_dir.empty() && chdir(working_dir.c_str()) != 0) _exit(127);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    const int e = errno;
    (void)!write(err_pipe[1], &e, sizeof(e));
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  ProcessResult result;
  char buf[4096];
  ssize_t n;
  while ((n = read(out_pipe[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) result.output.append(buf, static_cast<size_t>(n));
  }
  close(out_pipe[0]);
  int exec_errno = 0;
  const bool exec_failed = read(err_pipe[0], &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (exec_failed) return MakeError("cannot run '{}': {}", argv[0], std::strerror(exec_errno));
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace kiln
