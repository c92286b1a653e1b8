// Project API conformance of the bundled QEMU board templates
// (templates/qemu-cortex-m4/, templates/qemu-rv32/): server_info_query,
// generate_project from a freshly compiled MLF, build, flash, and the
// device protocol (rpc::DeviceClient) over the template's transport through
// ProjectTransport, compared with a shared case. A missing python3, cross
// compiler or QEMU is a failure naming its package.
#include <fstream>

#include <gtest/gtest.h>

#include "driver/compile.h"
#include "mlf/model_library.h"
#include "mlf/tar_archive.h"
#include "project/project_api.h"
#include "project/project_transport.h"
#include "rpc/device_client.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

fs::path HelloDir() { return test::SharedDir() / "models" / "tflite" / "hello_world_int8"; }

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ProjectQemuTemplate : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::Installed("python3"));  // the template's server
    auto templates = FindTemplates(BundledTemplateDirs());
    ASSERT_TRUE(templates.ok()) << templates.message();
    auto tmpl = SelectTemplate(*templates, GetParam());
    ASSERT_TRUE(tmpl.ok()) << tmpl.message();
    tmpl_ = *tmpl;
    dir_ = test::TempDir(std::string("qemu_template_") + GetParam());
  }

  /// The default of a string option of the template (the board's tools).
  std::string Default(const std::string& name) const {
    for (const OptionSpec& o : tmpl_.options)
      if (o.name == name && o.default_value.is_string()) return o.default_value.get<std::string>();
    return "";
  }

  /// hello_world_int8 compiled in-process; `with_device` false drops the
  /// archive's device/ folder (an archive from an older Kiln).
  fs::path ModelArchive(bool with_device = true) {
    auto lib = CompileModelFile(HelloDir() / "model.tflite", CodegenOptions{});
    EXPECT_TRUE(lib.ok()) << lib.message();
    if (!lib.ok()) return {};
    // Every archive carries the device protocol's glue (rpc::DeviceFiles).
    EXPECT_EQ(lib->files.count("device/kiln_device_main.c"), 1u);
    if (!with_device) std::erase_if(lib->files, [](const auto& f) { return f.first.starts_with("device/"); });
    const fs::path tar = dir_ / (with_device ? "hello.tar" : "hello-no-device.tar");
    Status written = WriteTarArchive(tar, lib->files);
    EXPECT_TRUE(written.ok()) << written.message();
    return tar;
  }

  TemplateInfo tmpl_;
  fs::path dir_;
};

TEST_P(ProjectQemuTemplate, ServerInfoAgreesWithTemplateJson) {
  auto client = ProjectApiClient::Start(tmpl_);
  ASSERT_TRUE(client.ok()) << client.message();
  const ServerInfo& info = client->server_info();
  EXPECT_EQ(info.name, GetParam());
  EXPECT_EQ(info.protocol_version, kProjectApiVersion);
  ASSERT_EQ(info.options.size(), tmpl_.options.size());
  for (size_t k = 0; k < info.options.size(); ++k) {
    EXPECT_EQ(info.options[k].name, tmpl_.options[k].name);
    EXPECT_EQ(info.options[k].type, tmpl_.options[k].type);
    EXPECT_EQ(info.options[k].default_value, tmpl_.options[k].default_value);
  }
  for (const char* name : {"cc", "cflags", "qemu", "profile", "memory_budget_bytes", "build_timeout_s"})
    EXPECT_TRUE(std::any_of(info.options.begin(), info.options.end(),
                            [&](const OptionSpec& o) { return o.name == name; }))
        << name;
}

TEST_P(ProjectQemuTemplate, RefusesAnArchiveWithoutDevice) {
  const fs::path tar = ModelArchive(/*with_device=*/false);
  auto client = ProjectApiClient::Start(tmpl_);
  ASSERT_TRUE(client.ok()) << client.message();
  Status refused = client->GenerateProject(tar, dir_ / "proj", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("no device/ folder"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find("compile the model again"), std::string::npos) << refused.message();
  EXPECT_FALSE(fs::exists(dir_ / "proj"));  // no half-written project
}

TEST_P(ProjectQemuTemplate, GenerateBuildFlashAndSpeakTheDeviceProtocol) {
  const fs::path tar = ModelArchive();
  ASSERT_FALSE(tar.empty());
  ASSERT_TRUE(test::Installed(Default("cc")));
  ASSERT_TRUE(test::Installed(Default("qemu")));
  auto client = ProjectApiClient::Start(tmpl_);
  ASSERT_TRUE(client.ok()) << client.message();
  const fs::path project = dir_ / "proj";
  const nlohmann::json options = {{"profile", true}};  // per-operator hooks, for PROFILE

  ASSERT_TRUE(client->GenerateProject(tar, project, options).ok());
  for (const char* file : {"Makefile", "README.md", "model/metadata.json", "model/device/kiln_device_main.c"})
    EXPECT_TRUE(fs::exists(project / file)) << file;
  // The Makefile boots the firmware with the board's QEMU command line.
  std::string dry_run;
  ASSERT_EQ(test::RunCommand("make -n -C " + project.string() + " run", &dry_run), 0) << dry_run;
  EXPECT_NE(dry_run.find(Default("qemu")), std::string::npos) << dry_run;
  EXPECT_NE(dry_run.find("-icount shift=0,align=off,sleep=off"), std::string::npos) << dry_run;
  EXPECT_NE(dry_run.find("-kernel build/firmware.elf"), std::string::npos) << dry_run;
  EXPECT_NE(ReadText(project / "README.md").find("make run"), std::string::npos);

  Status early = client->Flash(project, options);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.message().find("call build first"), std::string::npos) << early.message();

  auto log = client->Build(project, options);
  ASSERT_TRUE(log.ok()) << log.message();
  EXPECT_NE(log->find(Default("cc")), std::string::npos) << *log;
  EXPECT_NE(log->find("-DKILN_PROFILE"), std::string::npos) << *log;
  EXPECT_TRUE(fs::exists(project / "build" / "firmware.map"));  // what each object contributes
  ASSERT_TRUE(client->Flash(project, options).ok());
  ASSERT_TRUE(client->OpenTransport(project, options).ok());

  ProjectTransport link(*client);
  rpc::SessionOptions session;
  session.timeout = milliseconds(10000);  // one emulated inference is well under this
  session.attempts = 2;
  rpc::DeviceClient device(link, session);
  auto info = device.Info();
  ASSERT_TRUE(info.ok()) << info.message();
  auto metadata = nlohmann::json::parse(ReadText(project / "model" / "metadata.json"));
  auto mi = ReadInterface(metadata);
  ASSERT_TRUE(mi.ok()) << mi.message();
  ASSERT_TRUE(device.CheckInterface(*mi).ok());
  ASSERT_EQ(info->inputs.size(), 1u);
  ASSERT_EQ(info->outputs.size(), 1u);

  for (const char* name : {"seed_0x12345678", "zeros"}) {
    const fs::path case_dir = HelloDir() / "cases" / name;
    ASSERT_TRUE(device.SetInput(0, test::ReadBytes(case_dir / "input_0.bin")).ok()) << name;
    auto run = device.Run();
    ASSERT_TRUE(run.ok()) << run.message();
    EXPECT_GT(run->ticks, 0u) << name;
    auto out = device.GetOutput(0);
    ASSERT_TRUE(out.ok()) << out.message();
    EXPECT_EQ(*out, test::ReadBytes(case_dir / "output_0.bin")) << name;
  }
  auto profile = device.Profile();  // hello_world: one FULLY_CONNECTED
  ASSERT_TRUE(profile.ok()) << profile.message();
  ASSERT_EQ(profile->size(), info->operator_count);
  EXPECT_GT(profile->at(0), 0u);
  auto stack = device.Stack();
  ASSERT_TRUE(stack.ok()) << stack.message();
  EXPECT_GT(stack->high_water_bytes, 0u);
  EXPECT_FALSE(stack->at_least());
  ASSERT_TRUE(client->CloseTransport().ok());
  Status closed = client->WriteTransport("x");
  ASSERT_FALSE(closed.ok());
  EXPECT_NE(closed.message().find("no transport is open"), std::string::npos) << closed.message();
}

TEST_P(ProjectQemuTemplate, BuildErrorsNameTheCompiler) {
  const fs::path tar = ModelArchive();
  ASSERT_FALSE(tar.empty());
  auto client = ProjectApiClient::Start(tmpl_);
  ASSERT_TRUE(client.ok()) << client.message();
  const fs::path project = dir_ / "proj";
  ASSERT_TRUE(client->GenerateProject(tar, project, {}).ok());
  auto no_cc = client->Build(project, {{"cc", "/nonexistent/cross-gcc"}});
  ASSERT_FALSE(no_cc.ok());
  EXPECT_NE(no_cc.message().find("/nonexistent/cross-gcc"), std::string::npos) << no_cc.message();
  // Opening an unbuilt project's transport is refused before QEMU starts.
  Status open = client->OpenTransport(project, {});
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.message().find("call build first"), std::string::npos) << open.message();
}

INSTANTIATE_TEST_SUITE_P(Boards, ProjectQemuTemplate, ::testing::Values("qemu-cortex-m4", "qemu-rv32"),
                         test::BoardTestName());

}  // namespace
}  // namespace kiln
