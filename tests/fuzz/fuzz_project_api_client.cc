// libFuzzer target: the Project API client against a server that answers
// anything. The input is the server's stdout, one reply per line; the
// client reads it as the answers to the calls `kiln micro` makes, in
// order (server_info_query, generate_project, build, flash,
// open_transport, read_transport, write_transport, close_transport), each
// through the same checks as a live session (JSON-RPC framing and ids,
// then the method's result). Every reply must give a value or an error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "project/json_rpc_client.h"
#include "project/project_api.h"

namespace {

// A template as template.json would describe it: the server's name must match.
const kiln::TemplateInfo& Template() {
  static const kiln::TemplateInfo t = [] {
    kiln::TemplateInfo info;
    info.name = "fuzz";
    return info;
  }();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view out(reinterpret_cast<const char*>(data), size);
  static constexpr const char* kMethods[] = {"server_info_query", "generate_project", "build",
                                             "flash", "open_transport", "read_transport",
                                             "write_transport", "close_transport"};
  int64_t id = 1;
  for (const char* method : kMethods) {
    // The next non-blank line answers this call, as JsonRpcProcess::Call reads it.
    std::string_view line;
    do {
      const size_t newline = out.find('\n');
      if (newline == std::string_view::npos) return 0;  // the server stopped: an error in a live session
      line = out.substr(0, newline);
      out.remove_prefix(newline + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    } while (line.find_first_not_of(" \t") == std::string_view::npos);
    kiln::JsonRpcReply reply = kiln::ParseJsonRpcReply(line, id++, method, "template server 'fuzz'");
    if (reply.kind == kiln::JsonRpcReply::kBroken) return 0;
    if (reply.kind != kiln::JsonRpcReply::kResult) continue;
    const std::string_view m = method;
    if (m == "server_info_query" && !kiln::ParseServerInfo(reply.result, Template()).ok()) return 0;
    if (m == "read_transport") (void)kiln::ParseTransportRead(reply.result, 64, "fuzz");
  }
  return 0;
}
