// Project API conformance of the bundled `host` template (templates/host/):
// server_info_query, generate_project from a freshly compiled MLF, build,
// flash, the generated program on a shared case, and the transport. The
// server is python3, which scripts/install-deps.sh installs.
#include <fstream>

#include <gtest/gtest.h>

#include "driver/compile.h"
#include "mlf/tar_archive.h"
#include "project/project_api.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

fs::path HelloDir() { return test::SharedDir() / "models" / "tflite" / "hello_world_int8"; }

class ProjectHostTemplate : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::Installed("python3"));  // the template's server
    auto templates = FindTemplates(BundledTemplateDirs());
    ASSERT_TRUE(templates.ok()) << templates.message();
    auto host = SelectTemplate(*templates, "host");
    ASSERT_TRUE(host.ok()) << host.message();
    host_ = *host;
    dir_ = test::TempDir("host_template");
  }

  /// hello_world_int8 compiled in-process and written as an MLF archive.
  fs::path ModelArchive() {
    auto lib = CompileModelFile(HelloDir() / "model.tflite", CodegenOptions{});
    EXPECT_TRUE(lib.ok()) << lib.message();
    const fs::path tar = dir_ / "hello.tar";
    Status written = WriteTarArchive(tar, lib->files);
    EXPECT_TRUE(written.ok()) << written.message();
    return tar;
  }

  TemplateInfo host_;
  fs::path dir_;
};

TEST_F(ProjectHostTemplate, ServerInfoAgreesWithTemplateJson) {
  auto client = ProjectApiClient::Start(host_);
  ASSERT_TRUE(client.ok()) << client.message();
  const ServerInfo& info = client->server_info();
  EXPECT_EQ(info.name, "host");
  EXPECT_EQ(info.protocol_version, kProjectApiVersion);
  ASSERT_EQ(info.options.size(), host_.options.size());
  for (size_t k = 0; k < info.options.size(); ++k) {
    EXPECT_EQ(info.options[k].name, host_.options[k].name);
    EXPECT_EQ(info.options[k].type, host_.options[k].type);
    EXPECT_EQ(info.options[k].default_value, host_.options[k].default_value);
  }
  for (const char* name : {"cc", "cflags", "memory_budget_bytes"})
    EXPECT_TRUE(std::any_of(info.options.begin(), info.options.end(),
                            [&](const OptionSpec& o) { return o.name == name; }))
        << name;
}

TEST_F(ProjectHostTemplate, GenerateBuildFlashRunAndTransport) {
  const fs::path tar = ModelArchive();
  auto client = ProjectApiClient::Start(host_);
  ASSERT_TRUE(client.ok()) << client.message();
  const fs::path project = dir_ / "proj";
  const nlohmann::json options = nlohmann::json::object();

  ASSERT_TRUE(client->GenerateProject(tar, project, options).ok());
  for (const char* file : {"Makefile", "README.md", "main.c", "model/metadata.json"})
    EXPECT_TRUE(fs::exists(project / file)) << file;

  // Flashing an unbuilt project is a clear error.
  Status early = client->Flash(project, options);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.message().find("call build first"), std::string::npos) << early.message();

  auto log = client->Build(project, options);
  ASSERT_TRUE(log.ok()) << log.message();
  EXPECT_NE(log->find("model_runner"), std::string::npos) << *log;
  ASSERT_TRUE(client->Flash(project, options).ok());

  // The built program on files, as a user without Kiln would run it.
  const fs::path case_dir = HelloDir() / "cases" / "seed_0x12345678";
  const fs::path out = dir_ / "out0.bin";
  std::string output;
  ASSERT_EQ(test::RunCommand((project / "build" / "model_runner").string() + " " + (case_dir / "input_0.bin").string() +
                                 " " + out.string(),
                             &output),
            0)
      << output;
  EXPECT_EQ(test::ReadBytes(out), test::ReadBytes(case_dir / "output_0.bin"));

  // The same through the transport, twice over one session, for every case.
  ASSERT_TRUE(client->OpenTransport(project, options).ok());
  for (const char* name : {"zeros", "seed_0x0badf00d", "zeros"}) {
    const std::vector<uint8_t> input = test::ReadBytes(HelloDir() / "cases" / name / "input_0.bin");
    const std::vector<uint8_t> expected = test::ReadBytes(HelloDir() / "cases" / name / "output_0.bin");
    ASSERT_TRUE(client->WriteTransport(std::string(input.begin(), input.end())).ok());
    std::string got;
    while (got.size() < expected.size()) {
      auto r = client->ReadTransport(expected.size() - got.size(), milliseconds(5000));
      ASSERT_TRUE(r.ok()) << r.message();
      ASSERT_FALSE(r->data.empty()) << "timed out or ended after " << got.size() << " bytes";
      got += r->data;
    }
    EXPECT_EQ(got, std::string(expected.begin(), expected.end())) << name;
  }
  // Nothing more to read: an empty read after the timeout, not a hang.
  auto idle = client->ReadTransport(16, milliseconds(100));
  ASSERT_TRUE(idle.ok()) << idle.message();
  EXPECT_TRUE(idle->data.empty());
  EXPECT_FALSE(idle->eof);
  ASSERT_TRUE(client->CloseTransport().ok());
  Status closed = client->WriteTransport("x");
  ASSERT_FALSE(closed.ok());
  EXPECT_NE(closed.message().find("no transport is open"), std::string::npos) << closed.message();
}

TEST_F(ProjectHostTemplate, ErrorsReachTheUser) {
  const fs::path tar = ModelArchive();
  auto client = ProjectApiClient::Start(host_);
  ASSERT_TRUE(client.ok()) << client.message();

  // Over the memory budget: refused, and no half-written project is left.
  Status budget = client->GenerateProject(tar, dir_ / "small", {{"memory_budget_bytes", 8}});
  ASSERT_FALSE(budget.ok());
  EXPECT_NE(budget.message().find("over memory_budget_bytes = 8"), std::string::npos) << budget.message();
  EXPECT_FALSE(fs::exists(dir_ / "small"));

  Status not_mlf = client->GenerateProject(HelloDir() / "model.tflite", dir_ / "p0", {});
  ASSERT_FALSE(not_mlf.ok());
  EXPECT_NE(not_mlf.message().find("neither an MLF archive"), std::string::npos) << not_mlf.message();

  const fs::path project = dir_ / "proj";
  ASSERT_TRUE(client->GenerateProject(tar, project, {}).ok());
  Status again = client->GenerateProject(tar, project, {});
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.message().find("exists and is not empty"), std::string::npos) << again.message();

  // A compiler error reaches the user with the compiler's own words.
  std::ofstream(project / "main.c", std::ios::app) << "\nthis is not C;\n";
  auto broken = client->Build(project, {});
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.message().find("build failed"), std::string::npos) << broken.message();
  EXPECT_NE(broken.message().find("main.c"), std::string::npos) << broken.message();
  EXPECT_NE(broken.message().find("error"), std::string::npos) << broken.message();

  auto no_cc = client->Build(project, {{"cc", "/nonexistent/cc"}});
  ASSERT_FALSE(no_cc.ok());
  EXPECT_NE(no_cc.message().find("/nonexistent/cc"), std::string::npos) << no_cc.message();

  // The client checks types before the server sees them.
  auto bad_type = client->Build(project, {{"cflags", 3}});
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.message(), "option 'cflags' of template 'host' expects a string, but got 3");

  // The server survives all of it.
  EXPECT_TRUE(client->Call("server_info_query", nlohmann::json::object(), milliseconds(5000)).ok());
}

TEST_F(ProjectHostTemplate, GeneratedProjectBuildsWithPlainMake) {
  const fs::path tar = ModelArchive();
  auto client = ProjectApiClient::Start(host_);
  ASSERT_TRUE(client.ok()) << client.message();
  const fs::path project = dir_ / "proj";
  ASSERT_TRUE(client->GenerateProject(tar, project, {{"cflags", "-O1 -Wall -Wextra -Werror -pedantic"}}).ok());
  std::string output;
  ASSERT_EQ(test::RunCommand("make -C " + project.string(), &output), 0) << output;
  EXPECT_NE(output.find("-pedantic"), std::string::npos) << output;  // the option reached the Makefile
  EXPECT_TRUE(fs::exists(project / "build" / "model_runner"));
}

}  // namespace
}  // namespace kiln
