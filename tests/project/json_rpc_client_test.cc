// Tests of the JSON-RPC client (src/project/json_rpc_client.h) against fake
// servers: tiny shell scripts written at test time that answer correctly,
// never answer, print garbage, die, answer with an error or the wrong id.
// Every failure must be a clear Error within the call's timeout.
#include "project/json_rpc_client.h"

#include <chrono>
#include <fstream>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

namespace kiln {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

/// The id of the request on `line`, in a POSIX shell: nlohmann::json
/// writes keys sorted, so the request starts {"id":N,...
constexpr const char* kReadId = "  id=$(printf '%s' \"$line\" | sed -n 's/^{\"id\":\\([0-9]*\\).*/\\1/p')\n";

std::filesystem::path WriteServer(const std::string& name, const std::string& body) {
  static const std::filesystem::path dir = test::TempDir("jsonrpc");
  const std::filesystem::path path = dir / name;
  std::ofstream(path) << "#!/bin/sh\n" << body;
  chmod(path.c_str(), 0755);
  return path;
}

/// Answers every request with the request itself as the result.
std::filesystem::path EchoServer() {
  return WriteServer("echo.sh", std::string("while read -r line; do\n") + kReadId +
                                    "  printf '{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":%s}\\n' \"$id\" \"$line\"\n"
                                    "done\n");
}

JsonRpcProcess StartOrDie(const std::filesystem::path& server) {
  auto p = JsonRpcProcess::Start({server.string()}, server.parent_path(), "fake server");
  EXPECT_TRUE(p.ok()) << p.message();
  return std::move(p).value();
}

/// True once `pid` has exited: gone, or a zombie waiting for its reaper.
bool ProcessGone(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return kill(pid, 0) != 0;
  const size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z';
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(ProjectJsonRpc, CorrectServerAnswersManyCalls) {
  JsonRpcProcess p = StartOrDie(EchoServer());
  for (int k = 0; k < 5; ++k) {
    auto r = p.Call("build", {{"project_dir", "/tmp/x"}, {"k", k}}, milliseconds(5000));
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ((*r)["method"], "build");
    EXPECT_EQ((*r)["params"]["k"], k);
    EXPECT_EQ((*r)["id"], k + 1);
  }
  EXPECT_TRUE(p.alive());
}

TEST(ProjectJsonRpc, LargeRequestAndResponse) {
  // Larger than a pipe buffer both ways: the client must write and read at once.
  JsonRpcProcess p = StartOrDie(EchoServer());
  const std::string big(300'000, 'a');
  auto r = p.Call("write_transport", {{"data", big}}, milliseconds(10000));
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ((*r)["params"]["data"], big);
}

TEST(ProjectJsonRpc, ServerThatNeverAnswersTimesOut) {
  JsonRpcProcess p = StartOrDie(WriteServer("silent.sh", "while read -r line; do :; done\n"));
  const auto start = Clock::now();
  auto r = p.Call("build", nlohmann::json::object(), milliseconds(500));
  ASSERT_FALSE(r.ok());
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_NE(r.message().find("did not answer 'build' within 0.5 s"), std::string::npos) << r.message();
  EXPECT_FALSE(p.alive());
  // Later calls fail at once with the same error.
  auto again = p.Call("flash", nlohmann::json::object(), milliseconds(5000));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.message(), r.message());
}

TEST(ProjectJsonRpc, TimeoutAlsoStopsWhatTheServerStarted) {
  // The server leaves a grandchild holding stdout open; killing the process
  // group must not leave the client (or the grandchild) waiting.
  const std::filesystem::path marker = test::TempDir("jsonrpc_grandchild") / "pid";
  JsonRpcProcess p = StartOrDie(WriteServer("spawner.sh", "sleep 60 &\necho $! > " + marker.string() +
                                                              "\nwhile read -r line; do :; done\n"));
  auto r = p.Call("build", nlohmann::json::object(), milliseconds(500));
  ASSERT_FALSE(r.ok());
  std::ifstream in(marker);
  int pid = 0;
  in >> pid;
  ASSERT_GT(pid, 0);
  const auto start = Clock::now();
  while (!ProcessGone(pid) && SecondsSince(start) < 2.0) usleep(10'000);
  EXPECT_TRUE(ProcessGone(pid)) << "the server's child " << pid << " survived";
}

TEST(ProjectJsonRpc, GarbageIsAClearError) {
  JsonRpcProcess p = StartOrDie(WriteServer("garbage.sh", "read -r line\necho 'Hello, I am not JSON'\nsleep 30\n"));
  const auto start = Clock::now();
  auto r = p.Call("server_info_query", nlohmann::json::object(), milliseconds(5000));
  ASSERT_FALSE(r.ok());
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_NE(r.message().find("not JSON"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("Hello, I am not JSON"), std::string::npos) << r.message();
}

TEST(ProjectJsonRpc, JsonThatIsNotAResponseIsAClearError) {
  JsonRpcProcess p = StartOrDie(WriteServer("notrpc.sh", "read -r line\necho '[1, 2, 3]'\nsleep 30\n"));
  auto r = p.Call("build", nlohmann::json::object(), milliseconds(5000));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("malformed JSON-RPC response"), std::string::npos) << r.message();
}

TEST(ProjectJsonRpc, ServerThatExitsIsAClearError) {
  JsonRpcProcess p = StartOrDie(WriteServer("dies.sh", "echo 'cannot find my config' >&2\nexit 3\n"));
  const auto start = Clock::now();
  auto r = p.Call("server_info_query", nlohmann::json::object(), milliseconds(5000));
  ASSERT_FALSE(r.ok());
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_NE(r.message().find("exited with code 3"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("cannot find my config"), std::string::npos) << r.message();
}

TEST(ProjectJsonRpc, ServerKilledBySignalIsAClearError) {
  JsonRpcProcess p = StartOrDie(WriteServer("killed.sh", "read -r line\nkill -9 $$\n"));
  auto r = p.Call("build", nlohmann::json::object(), milliseconds(5000));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("killed by signal 9"), std::string::npos) << r.message();
}

TEST(ProjectJsonRpc, ServerThatExitsWhileItsChildHoldsStdoutIsNoticed) {
  JsonRpcProcess p = StartOrDie(WriteServer("orphan.sh", "read -r line\nsleep 30 &\nexit 4\n"));
  const auto start = Clock::now();
  auto r = p.Call("build", nlohmann::json::object(), milliseconds(10000));
  ASSERT_FALSE(r.ok());
  EXPECT_LT(SecondsSince(start), 3.0);
  EXPECT_NE(r.message().find("exited with code 4"), std::string::npos) << r.message();
}

TEST(ProjectJsonRpc, ErrorObjectReachesTheUserAndTheServerStaysUsable) {
  JsonRpcProcess p = StartOrDie(WriteServer(
      "error.sh", std::string("while read -r line; do\n") + kReadId +
                      "  printf '{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":{\"code\":-32000,\"message\":"
                      "\"main.c:3: error: expected ;\"}}\\n' \"$id\"\n"
                      "done\n"));
  auto r = p.Call("build", nlohmann::json::object(), milliseconds(5000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(), "fake server: 'build' failed: main.c:3: error: expected ;");
  EXPECT_TRUE(p.alive());
  auto again = p.Call("build", nlohmann::json::object(), milliseconds(5000));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.message(), r.message());
}

TEST(ProjectJsonRpc, WrongIdIsAClearError) {
  JsonRpcProcess p = StartOrDie(WriteServer(
      "wrongid.sh", "while read -r line; do\n  echo '{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}'\ndone\n"));
  auto r = p.Call("flash", nlohmann::json::object(), milliseconds(5000));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("answered request id 999 while 'flash' (id 1)"), std::string::npos) << r.message();
}

TEST(ProjectJsonRpc, NoisyStderrDoesNotBlockTheServer) {
  // 200 KB of log before the answer: more than a pipe holds.
  JsonRpcProcess p = StartOrDie(WriteServer(
      "noisy.sh", std::string("while read -r line; do\n") + kReadId +
                      "  head -c 200000 /dev/zero | tr '\\0' 'x' >&2\n"
                      "  printf '{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":42}\\n' \"$id\"\n"
                      "done\n"));
  auto r = p.Call("build", nlohmann::json::object(), milliseconds(5000));
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(*r, 42);
  EXPECT_LE(p.stderr_tail().size(), 4096u);
}

TEST(ProjectJsonRpc, MissingServerIsAClearError) {
  auto p = JsonRpcProcess::Start({"/nonexistent/server.py"}, "/", "template server 'ghost'");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.message().find("cannot start template server 'ghost'"), std::string::npos) << p.message();
}

TEST(ProjectJsonRpc, StopKillsAServerThatIgnoresEndOfFile) {
  JsonRpcProcess p = StartOrDie(WriteServer("stubborn.sh", "trap '' TERM INT HUP\nexec sleep 60\n"));
  const auto start = Clock::now();
  p.Stop(milliseconds(100));
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_FALSE(p.alive());
  auto r = p.Call("build", nlohmann::json::object(), milliseconds(1000));
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace kiln
