// Typed wrappers over the Project API's JSON-RPC methods, and the checks
// of what a server answers (shapes of results, server_info agreement).
#include "project/project_api.h"

#include <array>

#include "support/utf8.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

std::string Absolute(const fs::path& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec);
  return (ec ? p : a).lexically_normal().string();
}

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string Base64Encode(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t k = 0;
  for (; k + 2 < bytes.size(); k += 3) {
    const uint32_t v = (uint32_t(uint8_t(bytes[k])) << 16) | (uint32_t(uint8_t(bytes[k + 1])) << 8) | uint8_t(bytes[k + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kBase64Alphabet[(v >> s) & 63];
  }
  if (k < bytes.size()) {
    uint32_t v = uint32_t(uint8_t(bytes[k])) << 16;
    if (k + 1 < bytes.size()) v |= uint32_t(uint8_t(bytes[k + 1])) << 8;
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += k + 1 < bytes.size() ? kBase64Alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Expected<std::string> Base64Decode(const std::string& text) {
  std::array<int, 256> value;
  value.fill(-1);
  for (int i = 0; i < 64; ++i) value[static_cast<uint8_t>(kBase64Alphabet[i])] = i;
  if (text.size() % 4 != 0) return MakeError("invalid base64: length {} is not a multiple of 4", text.size());
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t k = 0; k < text.size(); k += 4) {
    int v[4];
    int pad = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text[k + i];
      const bool last_group = k + 4 == text.size();
      if (c == '=' && last_group && i >= 2 && (i == 3 || text[k + 3] == '=')) {
        v[i] = 0;
        ++pad;
        continue;
      }
      v[i] = value[static_cast<uint8_t>(c)];
      if (v[i] < 0 || pad > 0) return MakeError("invalid base64 character at offset {}", k + i);
    }
    const uint32_t bits = (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out += static_cast<char>((bits >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((bits >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(bits & 0xff);
  }
  return out;
}

Expected<ServerInfo> ParseServerInfo(const nlohmann::json& r, const TemplateInfo& tmpl) {
  const std::string where = fmt::format("server_info_query of template '{}'", tmpl.name);
  if (!r.is_object() || !r.contains("name") || !r["name"].is_string() || !r.contains("protocol_version") ||
      !r["protocol_version"].is_number_integer())
    return MakeError("{}: expected an object with a string \"name\" and an integer \"protocol_version\", got {}",
                     where, PrintableExcerpt(r.dump()));
  ServerInfo info;
  info.name = PrintableName(r["name"].get<std::string>());
  info.version = r.contains("version") && r["version"].is_string() ? PrintableName(r["version"].get<std::string>()) : "";
  if (r["protocol_version"] != kProjectApiVersion)
    return MakeError("{}: the server speaks Project API version {}, this Kiln speaks version {}", where,
                     r["protocol_version"].dump(), kProjectApiVersion);
  info.protocol_version = kProjectApiVersion;
  if (info.name != tmpl.name)
    return MakeError("{}: the server calls itself '{}', but template.json says '{}'", where, info.name, tmpl.name);
  KILN_ASSIGN_OR_RETURN(info.options, ParseOptionSpecs(r.contains("options") ? r["options"] : nlohmann::json(), where));
  return info;
}

Expected<TransportRead> ParseTransportRead(const nlohmann::json& r, size_t max_bytes, std::string_view template_name) {
  if (!r.is_object() || !r.contains("data") || !r["data"].is_string())
    return MakeError("template server '{}': read_transport returned {} instead of {{\"data\": base64, \"eof\": bool}}",
                     template_name, PrintableExcerpt(r.dump()));
  TransportRead read;
  auto decoded = Base64Decode(r["data"].get<std::string>());
  if (!decoded.ok()) return MakeError("template server '{}': read_transport data: {}", template_name, decoded.message());
  read.data = std::move(decoded).value();
  if (read.data.size() > max_bytes)
    return MakeError("template server '{}': read_transport returned {} bytes, more than the {} asked for",
                     template_name, read.data.size(), max_bytes);
  read.eof = r.contains("eof") && r["eof"].is_boolean() && r["eof"].get<bool>();
  return read;
}

Expected<ProjectApiClient> ProjectApiClient::Start(const TemplateInfo& tmpl, ProjectApiTimeouts timeouts) {
  KILN_ASSIGN_OR_RETURN(JsonRpcProcess process,
                        JsonRpcProcess::Start({tmpl.server.string()}, tmpl.dir,
                                              fmt::format("template server '{}'", tmpl.name)));
  ProjectApiClient client(tmpl, timeouts, std::move(process));
  KILN_ASSIGN_OR_RETURN(nlohmann::json r, client.process_.Call("server_info_query", nlohmann::json::object(),
                                                                timeouts.info));
  KILN_ASSIGN_OR_RETURN(client.info_, ParseServerInfo(r, tmpl));
  return client;
}

Status ProjectApiClient::GenerateProject(const fs::path& model_library, const fs::path& project_dir,
                                         const nlohmann::json& options) {
  KILN_ASSIGN_OR_RETURN(nlohmann::json resolved, ResolveOptions(template_, options));
  KILN_ASSIGN_OR_RETURN(nlohmann::json r,
                        process_.Call("generate_project",
                                      {{"model_library", Absolute(model_library)},
                                       {"project_dir", Absolute(project_dir)},
                                       {"options", resolved}},
                                      timeouts_.generate));
  (void)r;
  return Status::Ok();
}

Expected<std::string> ProjectApiClient::Build(const fs::path& project_dir, const nlohmann::json& options) {
  KILN_ASSIGN_OR_RETURN(nlohmann::json resolved, ResolveOptions(template_, options));
  KILN_ASSIGN_OR_RETURN(nlohmann::json r,
                        process_.Call("build", {{"project_dir", Absolute(project_dir)}, {"options", resolved}},
                                      timeouts_.build));
  return r.is_object() && r.contains("output") && r["output"].is_string() ? r["output"].get<std::string>()
                                                                          : std::string();
}

Status ProjectApiClient::Flash(const fs::path& project_dir, const nlohmann::json& options) {
  KILN_ASSIGN_OR_RETURN(nlohmann::json resolved, ResolveOptions(template_, options));
  KILN_ASSIGN_OR_RETURN(nlohmann::json r,
                        process_.Call("flash", {{"project_dir", Absolute(project_dir)}, {"options", resolved}},
                                      timeouts_.flash));
  (void)r;
  return Status::Ok();
}

Status ProjectApiClient::OpenTransport(const fs::path& project_dir, const nlohmann::json& options,
                                       const fs::path& execution_log) {
  KILN_ASSIGN_OR_RETURN(nlohmann::json resolved, ResolveOptions(template_, options));
  nlohmann::json params = {{"project_dir", Absolute(project_dir)}, {"options", resolved}};
  if (!execution_log.empty()) params["execution_log"] = Absolute(execution_log);
  KILN_ASSIGN_OR_RETURN(nlohmann::json r, process_.Call("open_transport", params, timeouts_.transport));
  (void)r;
  return Status::Ok();
}

Expected<TransportRead> ProjectApiClient::ReadTransport(size_t max_bytes, std::chrono::milliseconds timeout) {
  const double seconds = std::chrono::duration<double>(timeout).count();
  KILN_ASSIGN_OR_RETURN(nlohmann::json r, process_.Call("read_transport", {{"n", max_bytes}, {"timeout_s", seconds}},
                                                        timeout + timeouts_.read_grace));
  return ParseTransportRead(r, max_bytes, template_.name);
}

Status ProjectApiClient::WriteTransport(const std::string& bytes) {
  KILN_ASSIGN_OR_RETURN(nlohmann::json r,
                        process_.Call("write_transport", {{"data", Base64Encode(bytes)}}, timeouts_.transport));
  (void)r;
  return Status::Ok();
}

Status ProjectApiClient::CloseTransport() {
  KILN_ASSIGN_OR_RETURN(nlohmann::json r, process_.Call("close_transport", nlohmann::json::object(),
                                                        timeouts_.transport));
  (void)r;
  return Status::Ok();
}

}  // namespace kiln
