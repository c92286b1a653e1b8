// Kiln as a user installs it (cmake/install.cmake, docs/install.md):
// `cmake --install` into a prefix, moved elsewhere, and the Debian package
// CPack makes, unpacked into a throwaway root. Each installed copy finds
// its templates beside itself (never the build or source tree) and
// compiles, runs on the host and on both boards, builds a Project API
// project and estimates a footprint.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

const fs::path kBuildDir = test::KilnBinary().parent_path();
const fs::path kModelDir = test::SharedDir() / "models" / "tflite" / "micro_speech_quantized";
const fs::path kCase = kModelDir / "cases" / "seed_0x12345678";

/// Runs `kiln ARGS` from `kiln` with a clean environment: no
/// KILN_TEMPLATES_DIR, the system PATH, this user's HOME (the footprint
/// tables' cache).
int RunInstalled(const fs::path& kiln, const std::string& args, std::string* out) {
  const char* home = std::getenv("HOME");
  return test::RunCommand("env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=" + std::string(home ? home : "/tmp") + " " +
                              kiln.string() + " " + args,
                          out);
}

/// What a user does first with an installed kiln; every output is compared
/// with TFLite Micro's.
void UseIt(const fs::path& kiln, const fs::path& prefix, const fs::path& work) {
  std::string out;
  ASSERT_EQ(RunInstalled(kiln, "micro templates", &out), 0) << out;
  // The templates the installed copy found are its own.
  EXPECT_THAT(out, HasSubstr("(" + (prefix / "share" / "kiln" / "templates" / "qemu-rv32").string() + ")"));
  EXPECT_THAT(out, testing::Not(HasSubstr(kBuildDir.string())));
  EXPECT_THAT(out, testing::Not(HasSubstr(test::SourceDir().string() + "/templates")));

  const std::string model = (kModelDir / "model.tflite").string();
  ASSERT_EQ(RunInstalled(kiln, "compile " + model + " -o " + (work / "m.tar").string(), &out), 0) << out;
  for (const std::string device : {"", "qemu-cortex-m4", "qemu-rv32"}) {
    const fs::path outputs = work / ("out-" + (device.empty() ? "host" : device));
    ASSERT_EQ(RunInstalled(kiln,
                           "run " + model + (device.empty() ? "" : " --device " + device) + " --input " +
                               (kCase / "input_0.bin").string() + " --output-dir " + outputs.string(),
                           &out),
              0)
        << device << "\n" << out;
    EXPECT_EQ(test::ReadBytes(outputs / "output_0.bin"), test::ReadBytes(kCase / "output_0.bin")) << device;
  }
  const std::string project = (work / "proj").string();
  ASSERT_EQ(RunInstalled(kiln, "micro create-project " + project + " " + (work / "m.tar").string() + " --template qemu-rv32",
                         &out),
            0)
      << out;
  ASSERT_EQ(RunInstalled(kiln, "micro build " + project, &out), 0) << out;
  ASSERT_EQ(RunInstalled(kiln,
                         "micro run " + project + " --input " + (kCase / "input_0.bin").string() + " --output-dir " +
                             (work / "out-micro").string(),
                         &out),
            0)
      << out;
  EXPECT_EQ(test::ReadBytes(work / "out-micro" / "output_0.bin"), test::ReadBytes(kCase / "output_0.bin"));
  ASSERT_EQ(RunInstalled(kiln, "footprint " + model + " --target cortex-m4", &out), 0) << out;
  EXPECT_THAT(out, testing::ContainsRegex("flash +[0-9]+"));
  ASSERT_EQ(RunInstalled(kiln, "doctor --board qemu-cortex-m4 --board qemu-rv32", &out), 0) << out;
}

TEST(Install, CmakeInstallGivesARelocatableTreeThatRunsWithoutTheBuildTree) {
  ASSERT_TRUE(test::Installed("cmake"));
  const fs::path dir = test::TempDir("install");
  std::string out;
  ASSERT_EQ(test::RunCommand("cmake --install " + kBuildDir.string() + " --prefix " + (dir / "staged").string(), &out),
            0)
      << out;
  // Moved after installing: nothing in it may depend on where it was put.
  const fs::path prefix = dir / "moved";
  fs::rename(dir / "staged", prefix);
  for (const char* file : {"bin/kiln", "share/kiln/templates/qemu-cortex-m4/board.json",
                           "share/kiln/templates/qemu-rv32/template.json", "share/doc/kiln/README.md",
                           "share/doc/kiln/install.md", "share/man/man1/kiln.1",
                           "share/bash-completion/completions/kiln"})
    EXPECT_TRUE(fs::is_regular_file(prefix / file)) << file;
  // The template servers keep their executable bit.
  EXPECT_NE(fs::status(prefix / "share/kiln/templates/host/server.py").permissions() & fs::perms::owner_exec,
            fs::perms::none);
  UseIt(prefix / "bin" / "kiln", prefix, dir);
  // The binary copied alone finds no templates, says so, and takes them from
  // KILN_TEMPLATES_DIR.
  fs::create_directories(dir / "alone");
  fs::copy_file(prefix / "bin" / "kiln", dir / "alone" / "kiln");
  EXPECT_EQ(RunInstalled(dir / "alone" / "kiln", "run x.tflite --device qemu-rv32", &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("no bundled board templates found beside kiln"));
  const std::string templates = (prefix / "share" / "kiln" / "templates").string();
  ASSERT_EQ(test::RunCommand("env -i PATH=/usr/bin:/bin KILN_TEMPLATES_DIR=" + templates + " " +
                                 (dir / "alone" / "kiln").string() + " doctor --board qemu-rv32",
                             &out),
            0)
      << out;
  ASSERT_EQ(test::RunCommand("MANWIDTH=80 man -l " + (prefix / "share/man/man1/kiln.1").string() + " 2>&1", &out), 0);
  EXPECT_THAT(out, HasSubstr("kiln doctor"));
}

TEST(Install, TheDebianPackageDeclaresItsDependenciesAndRunsUnpacked) {
  for (const char* tool : {"cpack", "dpkg-deb", "dpkg-shlibdeps", "file"}) ASSERT_TRUE(test::Installed(tool));
  const fs::path dir = test::TempDir("deb");
  std::string out;
  ASSERT_EQ(test::RunCommand("cd " + dir.string() + " && cpack -G DEB --config " +
                                 (kBuildDir / "CPackConfig.cmake").string() + " -B " + dir.string(),
                             &out),
            0)
      << out;
  std::vector<fs::path> debs;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".deb") debs.push_back(entry.path());
  ASSERT_EQ(debs.size(), 1u);
  EXPECT_THAT(debs[0].filename().string(), testing::MatchesRegex("kiln_[0-9]+\\.[0-9]+\\.[0-9]+_amd64\\.deb"));
  const std::string deb = debs[0].string();

  ASSERT_EQ(test::RunCommand("dpkg-deb -f " + deb + " Depends", &out), 0) << out;
  // What kiln runs, and the shared libraries it links (from dpkg-shlibdeps).
  for (const char* dep : {"gcc", "make", "python3", "libfmt9", "libprotobuf32", "libarchive13", "libonnx1"})
    EXPECT_THAT(out, HasSubstr(dep)) << out;
  ASSERT_EQ(test::RunCommand("dpkg-deb -f " + deb + " Recommends", &out), 0) << out;
  for (const char* rec : {"gcc-arm-none-eabi", "picolibc-arm-none-eabi", "qemu-system-arm", "gcc-riscv64-unknown-elf",
                          "picolibc-riscv64-unknown-elf", "qemu-system-misc"})
    EXPECT_THAT(out, HasSubstr(rec)) << out;
  ASSERT_EQ(test::RunCommand("dpkg-deb -c " + deb, &out), 0) << out;
  for (const char* file : {"./usr/bin/kiln", "./usr/share/kiln/templates/qemu-rv32/board.json",
                           "./usr/share/man/man1/kiln.1", "./usr/share/bash-completion/completions/kiln",
                           "./usr/share/doc/kiln/install.md"})
    EXPECT_THAT(out, HasSubstr(file));

  const fs::path root = dir / "root";
  ASSERT_EQ(test::RunCommand("dpkg-deb -x " + deb + " " + root.string(), &out), 0) << out;
  UseIt(root / "usr" / "bin" / "kiln", root / "usr", dir);
}

}  // namespace
}  // namespace kiln
