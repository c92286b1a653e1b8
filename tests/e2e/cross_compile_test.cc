// The archive of every shared model builds on its own, with its own
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

class CrossCompileTest : public testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(CrossCompileTest, ArchiveBuildsWithoutWarnings) {
  const auto& [model, index] = GetParam();
  const Toolchain& tc = kToolchains[index];
  ASSERT_TRUE(test::Installed(tc.cc));
  auto library = CompileModelFile(test::SharedDir() / "models" / "tflite" / model / "model.tflite", CodegenOptions{});
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

INSTANTIATE_TEST_SUITE_P(Models, CrossCompileTest, testing::ValuesIn(Cases()), [](const auto& info) {
  return std::get<0>(info.param) + "_" + kToolchains[std::get<1>(info.param)].name;
});

}  // namespace
}  // namespace kiln
