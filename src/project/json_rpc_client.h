// A JSON-RPC 2.0 client talking to a child process over its stdin/stdout,
// one JSON object per line: the transport of the Project API
// (docs/project-api.md). Every call has a deadline; a server that hangs,
// dies, prints something that is not a JSON-RPC response or answers the
// wrong request becomes an Error value, never a hang.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "support/status.h"

namespace kiln {

/// What one line of a server's stdout means for the request waiting on it.
struct JsonRpcReply {
  enum Kind {
    kResult,       ///< `result` holds the call's result
    kServerError,  ///< the server answered with an error: `message`
    kBroken,       ///< the server broke the protocol (`message`): stop it
  } kind;
  nlohmann::json result;
  std::string message;
};

/// Reads `line` as the response to request `id` (a call of `method`);
/// `server` names the server in messages. Any bytes give a reply.
JsonRpcReply ParseJsonRpcReply(std::string_view line, int64_t id, std::string_view method, std::string_view server);

/// A running JSON-RPC server process. Move-only; the destructor stops it.
class JsonRpcProcess {
 public:
  /// Starts `argv[0]` (a path, or a name searched in PATH) in `working_dir`
  /// with pipes on its stdin, stdout and stderr. `display_name` names the
  /// server in error messages (e.g. "template server 'host'").
  static Expected<JsonRpcProcess> Start(const std::vector<std::string>& argv,
                                        const std::filesystem::path& working_dir, std::string display_name);

  JsonRpcProcess(JsonRpcProcess&& other) noexcept;
  JsonRpcProcess& operator=(JsonRpcProcess&& other) noexcept;
  JsonRpcProcess(const JsonRpcProcess&) = delete;
  JsonRpcProcess& operator=(const JsonRpcProcess&) = delete;
  ~JsonRpcProcess();

  /// Sends one request and waits at most `timeout` for its response.
  /// Returns the `result` member, or an Error carrying the server's error
  /// message. A timeout or a protocol violation stops the server: later
  /// calls then fail at once with the same error.
  Expected<nlohmann::json> Call(const std::string& method, const nlohmann::json& params,
                                std::chrono::milliseconds timeout);

  /// Closes the server's stdin, gives it `grace` to exit, then kills it
  /// (and the process group it leads). Idempotent.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

  /// True while the server runs and no call has failed fatally.
  bool alive() const { return pid_ > 0 && !broken_.has_value(); }

  /// The last few KiB the server wrote to stderr (its log).
  const std::string& stderr_tail() const { return stderr_tail_; }

 private:
  JsonRpcProcess() = default;
  void MoveFrom(JsonRpcProcess& other);
  /// Reads what is available on stdout/stderr without blocking; returns
  /// false once stdout reached end of file.
  bool DrainStdout();
  void DrainStderr();
  /// Stops the server and remembers `error` for later calls.
  Error Fail(Error error);
  /// Describes how the process ended, after it closed its stdout.
  std::string DescribeExit();

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  int64_t next_id_ = 1;
  std::string display_name_;
  std::string stdout_buffer_;  ///< bytes read but not yet consumed as lines
  std::string stderr_tail_;
  std::optional<int> exit_status_;  ///< the waitpid status once reaped
  std::optional<Error> broken_;
};

}  // namespace kiln
