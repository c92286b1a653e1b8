// Tests of template discovery and option checking (src/project/template.h),
// and of the Project API client with a template that lives outside the
// source tree: a third party adds a platform with a folder, not a patch.
#include "project/template.h"

#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "project/project_api.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

void WriteText(const fs::path& path, const std::string& text, bool executable = false) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  if (executable) chmod(path.c_str(), 0755);
}

/// A template folder `name` under `root` whose server is a shell script.
fs::path MakeTemplate(const fs::path& root, const std::string& name, const std::string& options_json,
                      const std::string& server_body = "exit 0\n") {
  const fs::path dir = root / name;
  WriteText(dir / "template.json", "{\"name\": \"" + name + "\", \"description\": \"test template\", "
                                   "\"server\": \"server.sh\", \"options\": " + options_json + "}");
  WriteText(dir / "server.sh", "#!/bin/sh\n" + server_body, true);
  return dir;
}

constexpr const char* kBoardOptions =
    R"([{"name": "cc", "type": "string", "default": "acme-gcc", "help": "compiler"},
        {"name": "memory_budget_bytes", "type": "int", "default": 0},
        {"name": "verbose", "type": "bool", "default": false},
        {"name": "port", "type": "string", "required": true, "help": "serial port"}])";

TemplateInfo BoardTemplate() {
  static const fs::path root = test::TempDir("templates_opts");
  static const fs::path dir = MakeTemplate(root, "board", kBoardOptions);
  auto t = LoadTemplate(dir);
  EXPECT_TRUE(t.ok()) << t.message();
  return t.value();
}

TEST(ProjectTemplates, LoadsTemplateJson) {
  TemplateInfo t = BoardTemplate();
  EXPECT_EQ(t.name, "board");
  EXPECT_EQ(t.description, "test template");
  EXPECT_TRUE(t.server.is_absolute());
  ASSERT_EQ(t.options.size(), 4u);
  EXPECT_EQ(t.options[1].type, OptionType::kInt);
  EXPECT_TRUE(t.options[3].required);
}

TEST(ProjectTemplates, ResolveFillsDefaults) {
  auto r = ResolveOptions(BoardTemplate(), {{"port", "/dev/ttyACM0"}, {"memory_budget_bytes", 65536}});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ((*r)["cc"], "acme-gcc");
  EXPECT_EQ((*r)["memory_budget_bytes"], 65536);
  EXPECT_EQ((*r)["verbose"], false);
  EXPECT_EQ((*r)["port"], "/dev/ttyACM0");
}

TEST(ProjectTemplates, WrongTypeNamesOptionAndType) {
  auto r = ResolveOptions(BoardTemplate(), {{"port", "x"}, {"memory_budget_bytes", "lots"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(), "option 'memory_budget_bytes' of template 'board' expects a int, but got \"lots\"");
}

TEST(ProjectTemplates, UnknownOptionListsTheKnownOnes) {
  auto r = ResolveOptions(BoardTemplate(), {{"port", "x"}, {"qemu", "qemu-system-arm"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("template 'board' has no option 'qemu'"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("memory_budget_bytes (int)"), std::string::npos) << r.message();
}

TEST(ProjectTemplates, MissingRequiredOption) {
  auto r = ResolveOptions(BoardTemplate(), nlohmann::json::object());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(), "template 'board' needs the option 'port' (string): serial port");
}

TEST(ProjectTemplates, OptionStringsAreParsedByDeclaredType) {
  auto r = ResolveOptionStrings(BoardTemplate(), {"port=/dev/ttyUSB0", "memory_budget_bytes=1024", "verbose=yes",
                                                  "cc=clang --target=arm"});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ((*r)["memory_budget_bytes"], 1024);
  EXPECT_EQ((*r)["verbose"], true);
  EXPECT_EQ((*r)["cc"], "clang --target=arm");

  auto bad_int = ResolveOptionStrings(BoardTemplate(), {"port=x", "memory_budget_bytes=64k"});
  ASSERT_FALSE(bad_int.ok());
  EXPECT_EQ(bad_int.message(), "option 'memory_budget_bytes' of template 'board' expects an int, but got '64k'");
  auto bad_bool = ResolveOptionStrings(BoardTemplate(), {"port=x", "verbose=maybe"});
  ASSERT_FALSE(bad_bool.ok());
  EXPECT_NE(bad_bool.message().find("'verbose' of template 'board' expects a bool"), std::string::npos);
  auto no_eq = ResolveOptionStrings(BoardTemplate(), {"port"});
  ASSERT_FALSE(no_eq.ok());
  EXPECT_EQ(no_eq.message(), "option 'port' must be written NAME=VALUE");
}

TEST(ProjectTemplates, BrokenTemplateJsonIsAClearError) {
  const fs::path root = test::TempDir("templates_broken");
  WriteText(root / "bad_json" / "template.json", "{\"name\": ");
  auto a = LoadTemplate(root / "bad_json");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.message().find("is not valid JSON"), std::string::npos) << a.message();

  MakeTemplate(root, "bad_default", R"([{"name": "n", "type": "int", "default": "three"}])");
  auto b = LoadTemplate(root / "bad_default");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.message().find("the default of option 'n' is \"three\", not a int"), std::string::npos) << b.message();

  MakeTemplate(root, "bad_type", R"([{"name": "n", "type": "float", "default": 1.5}])");
  auto c = LoadTemplate(root / "bad_type");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.message().find("has type 'float'"), std::string::npos) << c.message();

  const fs::path noexec = MakeTemplate(root, "noexec", "[]");
  chmod((noexec / "server.sh").c_str(), 0644);
  auto d = LoadTemplate(noexec);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.message().find("is not executable"), std::string::npos) << d.message();

  WriteText(root / "noserver" / "template.json", R"({"name": "noserver", "server": "missing.py"})");
  auto e = LoadTemplate(root / "noserver");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.message().find("does not exist"), std::string::npos) << e.message();

  WriteText(root / "bad_transport" / "template.json",
            R"({"name": "bad_transport", "server": "s.sh", "transport": "carrier-pigeon"})");
  auto t = LoadTemplate(root / "bad_transport");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.message().find("\"transport\" is 'carrier-pigeon'"), std::string::npos) << t.message();

  auto f = FindTemplates({root});  // one broken template makes the search fail, naming the file
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.message().find("template.json"), std::string::npos) << f.message();
}

TEST(ProjectTemplates, FindsBundledAndOutOfTreeTemplates) {
  const std::vector<fs::path> bundled = BundledTemplateDirs();
  ASSERT_EQ(bundled.size(), 1u);
  EXPECT_TRUE(fs::exists(bundled[0] / "host" / "template.json"));

  const fs::path user_dir = test::TempDir("templates_user");
  MakeTemplate(user_dir, "acme-board", "[]");
  MakeTemplate(user_dir, "zeta", "[]");
  fs::create_directories(user_dir / "not-a-template");
  auto all = FindTemplates({user_dir, bundled[0]});
  ASSERT_TRUE(all.ok()) << all.message();
  std::vector<std::string> names;
  for (const TemplateInfo& t : *all) names.push_back(t.name);
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names[0], "acme-board");  // user directories come first, sorted
  EXPECT_EQ(names[1], "zeta");
  EXPECT_NE(std::find(names.begin(), names.end(), "host"), names.end());

  // A directory that is itself a template works as a search directory too.
  auto single = FindTemplates({user_dir / "zeta"});
  ASSERT_TRUE(single.ok()) << single.message();
  ASSERT_EQ(single->size(), 1u);

  // The first template of a name wins: a user can override a bundled one.
  const fs::path override_dir = test::TempDir("templates_override");
  MakeTemplate(override_dir, "host", "[]");
  auto overridden = FindTemplates({override_dir, bundled[0]});
  ASSERT_TRUE(overridden.ok()) << overridden.message();
  auto host = SelectTemplate(*overridden, "host");
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->dir, fs::weakly_canonical(override_dir / "host"));

  auto missing = SelectTemplate(*all, "qemu-z80");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("no template named 'qemu-z80'; the templates are: acme-board, zeta"),
            std::string::npos)
      << missing.message();
  auto no_dir = FindTemplates({"/nonexistent/templates"});
  ASSERT_FALSE(no_dir.ok());
  EXPECT_EQ(no_dir.message(), "template directory '/nonexistent/templates' does not exist");
}

// A whole third-party template outside the source tree, with a shell
// server, driven through the typed client.
constexpr const char* kAcmeServer = R"sh(
while read -r line; do
  id=$(printf '%s' "$line" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
  method=$(printf '%s' "$line" | sed -n 's/.*"method":"\([a-z_]*\)".*/\1/p')
  ok() { printf '{"jsonrpc":"2.0","id":%s,"result":%s}\n' "$id" "$1"; }
  case "$method" in
    server_info_query)
      ok '{"name":"acme-board","version":"0.1","protocol_version":1,"options":[{"name":"gain","type":"int","default":1}]}';;
    generate_project)
      dir=$(printf '%s' "$line" | sed -n 's/.*"project_dir":"\([^"]*\)".*/\1/p')
      mkdir -p "$dir" && printf '%s' "$line" > "$dir/request.json" && ok '{}';;
    build)
      printf '{"jsonrpc":"2.0","id":%s,"error":{"code":-32000,"message":"acme-cc: error: main.c:1: board on fire"}}\n' "$id";;
    read_transport) ok '{"data":"AAEC/w==","eof":false}';;
    *) ok '{}';;
  esac
done
)sh";

TEST(ProjectTemplates, OutOfTreeTemplateThroughTheClient) {
  const fs::path root = test::TempDir("templates_acme");
  MakeTemplate(root, "acme-board", R"([{"name": "gain", "type": "int", "default": 1}])", kAcmeServer);
  auto templates = FindTemplates({root});
  ASSERT_TRUE(templates.ok()) << templates.message();
  auto tmpl = SelectTemplate(*templates, "acme-board");
  ASSERT_TRUE(tmpl.ok()) << tmpl.message();

  auto client = ProjectApiClient::Start(*tmpl);
  ASSERT_TRUE(client.ok()) << client.message();
  EXPECT_EQ(client->server_info().name, "acme-board");
  EXPECT_EQ(client->server_info().version, "0.1");
  ASSERT_EQ(client->server_info().options.size(), 1u);

  const fs::path project = root / "proj";
  Status gen = client->GenerateProject(root / "model.tar", project, {{"gain", 3}});
  ASSERT_TRUE(gen.ok()) << gen.message();
  std::ifstream in(project / "request.json");
  const nlohmann::json request = nlohmann::json::parse(in);
  EXPECT_EQ(request["params"]["options"]["gain"], 3);
  EXPECT_EQ(request["params"]["model_library"], (root / "model.tar").string());

  Status bad_option = client->GenerateProject(root / "model.tar", root / "proj2", {{"gain", "high"}});
  ASSERT_FALSE(bad_option.ok());
  EXPECT_EQ(bad_option.message(), "option 'gain' of template 'acme-board' expects a int, but got \"high\"");

  auto build = client->Build(project, nlohmann::json::object());
  ASSERT_FALSE(build.ok());
  EXPECT_EQ(build.message(), "template server 'acme-board': 'build' failed: acme-cc: error: main.c:1: board on fire");

  EXPECT_TRUE(client->Flash(project, nlohmann::json::object()).ok());
  EXPECT_TRUE(client->OpenTransport(project, nlohmann::json::object()).ok());
  auto read = client->ReadTransport(16, std::chrono::milliseconds(100));
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->data, std::string("\x00\x01\x02\xff", 4));
  auto short_read = client->ReadTransport(2, std::chrono::milliseconds(100));
  ASSERT_FALSE(short_read.ok());
  EXPECT_NE(short_read.message().find("more than the 2 asked for"), std::string::npos) << short_read.message();
  EXPECT_TRUE(client->WriteTransport(std::string("\x00hello", 6)).ok());
  EXPECT_TRUE(client->CloseTransport().ok());
}

TEST(ProjectTemplates, ServerInfoMustMatchTemplate) {
  const fs::path root = test::TempDir("templates_mismatch");
  MakeTemplate(root, "liar", "[]",
               "read -r line\n"
               "echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"name\":\"other\",\"protocol_version\":1}}'\n");
  MakeTemplate(root, "future", "[]",
               "read -r line\n"
               "echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"name\":\"future\",\"protocol_version\":7}}'\n");
  auto liar = ProjectApiClient::Start(LoadTemplate(root / "liar").value());
  ASSERT_FALSE(liar.ok());
  EXPECT_NE(liar.message().find("the server calls itself 'other', but template.json says 'liar'"), std::string::npos)
      << liar.message();
  auto future = ProjectApiClient::Start(LoadTemplate(root / "future").value());
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.message().find("Project API version 7"), std::string::npos) << future.message();
}

TEST(ProjectTemplates, Base64RoundTrip) {
  for (const std::string& s : {std::string(), std::string("f"), std::string("fo"), std::string("foo"),
                              std::string("foob"), std::string("\x00\xff\x10\x80", 4)}) {
    auto back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back.ok()) << back.message();
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_FALSE(Base64Decode("Zm9v!mFy").ok());
  EXPECT_FALSE(Base64Decode("Zm9").ok());
  EXPECT_FALSE(Base64Decode("Zm=v").ok());
}

}  // namespace
}  // namespace kiln
