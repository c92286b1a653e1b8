// The Project API client: starts a template's server and calls its
// methods (docs/project-api.md) with typed arguments and per-call
// timeouts. Kiln is only a client; every platform lives in a template.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "project/json_rpc_client.h"
#include "project/template.h"
#include "support/status.h"

namespace kiln {

/// What server_info_query returns.
struct ServerInfo {
  std::string name;     ///< the template's name (must match template.json)
  std::string version;  ///< the server's own version string
  int protocol_version = 0;
  std::vector<OptionSpec> options;
};

/// Per-method deadlines. Generous by default: building or booting an
/// emulator is slow, but a hung server must still be noticed.
struct ProjectApiTimeouts {
  std::chrono::milliseconds info{10'000};
  std::chrono::milliseconds generate{60'000};
  std::chrono::milliseconds build{600'000};
  std::chrono::milliseconds flash{120'000};
  std::chrono::milliseconds transport{30'000};  ///< open/write/close
  /// Added to a read_transport's own timeout for the call's deadline.
  std::chrono::milliseconds read_grace{5'000};
};

/// What one read_transport call returned.
struct TransportRead {
  std::string data;  ///< 0..n bytes; empty with eof false means timed out
  bool eof = false;  ///< the device side closed; no more bytes will come
};

/// Checks a server_info_query result against the template: a value, or
/// an error naming what the server got wrong.
Expected<ServerInfo> ParseServerInfo(const nlohmann::json& result, const TemplateInfo& tmpl);
/// Checks and decodes a read_transport result (at most `max_bytes`).
Expected<TransportRead> ParseTransportRead(const nlohmann::json& result, size_t max_bytes,
                                           std::string_view template_name);

/// A connection to one template's server.
class ProjectApiClient {
 public:
  /// Starts the template's server in the template folder and checks its
  /// server_info_query (name and protocol version must match).
  static Expected<ProjectApiClient> Start(const TemplateInfo& tmpl, ProjectApiTimeouts timeouts = {});

  const TemplateInfo& template_info() const { return template_; }
  const ServerInfo& server_info() const { return info_; }

  /// Writes a project into `project_dir` (created; must not exist or be
  /// empty) from an MLF archive (.tar) or an extracted MLF folder.
  Status GenerateProject(const std::filesystem::path& model_library, const std::filesystem::path& project_dir,
                         const nlohmann::json& options);
  /// Builds the project; returns the build log.
  Expected<std::string> Build(const std::filesystem::path& project_dir, const nlohmann::json& options);
  Status Flash(const std::filesystem::path& project_dir, const nlohmann::json& options);

  /// With `execution_log`, Kiln's QEMU templates also have QEMU write its
  /// execution log there (a pipe Kiln reads: device/qemu_trace.h).
  Status OpenTransport(const std::filesystem::path& project_dir, const nlohmann::json& options,
                       const std::filesystem::path& execution_log = {});
  /// Up to `max_bytes`, waiting at most `timeout` for the first byte.
  Expected<TransportRead> ReadTransport(size_t max_bytes, std::chrono::milliseconds timeout);
  Status WriteTransport(const std::string& bytes);
  Status CloseTransport();

  /// A raw call, for methods a later protocol version adds.
  Expected<nlohmann::json> Call(const std::string& method, const nlohmann::json& params,
                                std::chrono::milliseconds timeout) {
    return process_.Call(method, params, timeout);
  }

 private:
  ProjectApiClient(TemplateInfo tmpl, ProjectApiTimeouts timeouts, JsonRpcProcess process)
      : template_(std::move(tmpl)), timeouts_(timeouts), process_(std::move(process)) {}

  TemplateInfo template_;
  ProjectApiTimeouts timeouts_;
  JsonRpcProcess process_;
  ServerInfo info_;
};

/// Base64 (RFC 4648, with padding), used for bytes in transport calls.
std::string Base64Encode(const std::string& bytes);
Expected<std::string> Base64Decode(const std::string& text);

}  // namespace kiln
