// The archive of every shared model (both executors) builds on its own, with its own
// Makefile, warning-free under -Werror, with the host gcc,
// arm-none-eabi-gcc (Cortex-M4F) and riscv64-unknown-elf-gcc (rv32imac).
#include <gtest/gtest.h>

#include <fstream>

#include "driver/compile.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

struct Toolchain {
  const char* name;
  const char* cc;
  const char* ar;
  const char* cflags;
};

constexpr Toolchain kToolchains[] = {
    {"host_gcc", "gcc", "ar", "-O2"},
    {"arm_cortex_m4", "arm-none-eabi-gcc", "arm-none-eabi-ar",
     "-O2 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"},
    {"riscv_rv32imac", "riscv64-unknown-elf-gcc", "riscv64-unknown-elf-ar", "-O2 -march=rv32imac -mabi=ilp32 --specs=picolibc.specs"},
};

std::vector<std::tuple<std::string, int>> Cases() {
  std::vector<std::tuple<std::string, int>> out;
  std::error_code ec;
  std::vector<std::string> models;
  for (const auto& e : fs::directory_iterator(test::SharedDir() / "models" / "tflite", ec))
    models.push_back(e.path().filename().string());
  std::sort(models.begin(), models.end());
  for (const auto& m : models)
    for (int t = 0; t < 3; ++t) out.emplace_back(m, t);
  return out;
}

/// `make` of `model`'s archive compiled with `options` succeeds warning-free.
void ExpectArchiveBuilds(const std::string& model, const Toolchain& tc, const CodegenOptions& options) {
  auto library = CompileModelFile(test::SharedDir() / "models" / "tflite" / model / "model.tflite", options);
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("cross");
  for (const auto& [path, contents] : library->files) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream(dir / path, std::ios::binary) << contents;
  }
  std::string log;
  const int rc = test::RunCommand(
      "make -s -C " + dir.string() + " CC=" + tc.cc + " AR=" + tc.ar + " CFLAGS='" + tc.cflags +
          " -Werror -pedantic -Wshadow -Wstrict-prototypes'",
      &log);
  EXPECT_EQ(rc, 0) << log;
  EXPECT_TRUE(fs::exists(dir / "build" / "libkiln_default.a"));
  fs::remove_all(dir);
}

class CrossCompileTest : public testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(CrossCompileTest, ArchiveBuildsWithoutWarnings) {
  const auto& [model, index] = GetParam();
  const Toolchain& tc = kToolchains[index];
  ASSERT_TRUE(test::Installed(tc.cc));
  for (const char* executor : {"aot", "graph"}) {
    SCOPED_TRACE(executor);
    CodegenOptions options;
    options.executor = executor;
    ExpectArchiveBuilds(model, tc, options);
  }
}


/// `make` of `model`'s archive compiled with --target `target`, built with
/// `cc` and `cflags`; its log in *log.
int BuildArchive(const std::string& model, const std::string& target, const std::string& cc, const std::string& ar,
                 const std::string& cflags, std::string* log) {
  CodegenOptions options;
  options.target = target;
  auto library = CompileModelFile(test::SharedDir() / "models" / "tflite" / model / "model.tflite", options);
  EXPECT_TRUE(library.ok()) << library.message();
  if (!library.ok()) return -1;
  const fs::path dir = test::TempDir("features");
  for (const auto& [path, contents] : library->files) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream(dir / path, std::ios::binary) << contents;
  }
  const int rc = test::RunCommand(
      "make -s -C " + dir.string() + " CC=" + cc + " AR=" + ar + " CFLAGS='" + cflags + " -Werror'", log);
  fs::remove_all(dir);
  return rc;
}

// A module whose schedules use the DSP extension builds for a Cortex-M4 and
// for the host (portable C), and stops on a Cortex-M3 with an #error that
// names the feature and the --target; the same for RV32 without M.
TEST(FeatureGuards, ABuildForACoreWithoutTheFeatureStopsWithItsName) {
  ASSERT_TRUE(test::Installed("arm-none-eabi-gcc"));
  ASSERT_TRUE(test::Installed("riscv64-unknown-elf-gcc"));
  std::string log;
  EXPECT_EQ(BuildArchive("person_detect", "cortex-m4", "arm-none-eabi-gcc", "arm-none-eabi-ar", kToolchains[1].cflags, &log), 0)
      << log;
  EXPECT_EQ(BuildArchive("person_detect", "cortex-m4", "gcc", "ar", "-O2", &log), 0) << log;
  log.clear();
  EXPECT_NE(BuildArchive("person_detect", "cortex-m4", "arm-none-eabi-gcc", "arm-none-eabi-ar",
                         "-O2 -mcpu=cortex-m3 -mthumb", &log),
            0);
  EXPECT_NE(log.find("--target cortex-m4"), std::string::npos) << log;
  EXPECT_NE(log.find("Arm DSP extension"), std::string::npos) << log;
  EXPECT_EQ(BuildArchive("person_detect", "rv32imac", "riscv64-unknown-elf-gcc", "riscv64-unknown-elf-ar",
                         kToolchains[2].cflags, &log),
            0)
      << log;
  log.clear();
  EXPECT_NE(BuildArchive("person_detect", "rv32imac", "riscv64-unknown-elf-gcc", "riscv64-unknown-elf-ar",
                         "-O2 -march=rv32iac -mabi=ilp32 --specs=picolibc.specs", &log),
            0);
  EXPECT_NE(log.find("RISC-V M extension"), std::string::npos) << log;
}

INSTANTIATE_TEST_SUITE_P(Models, CrossCompileTest, testing::ValuesIn(Cases()), [](const auto& info) {
  return std::get<0>(info.param) + "_" + kToolchains[std::get<1>(info.param)].name;
});

}  // namespace
}  // namespace kiln
