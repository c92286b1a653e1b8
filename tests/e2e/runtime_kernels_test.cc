// Every runtime kernel, whether or not a shared model uses it, compiles
// warning-free as C99 with the three compilers, and integer kernels use no
// floating point at all (checked on a soft-float Cortex-M0 build, where any
// float operation would call an __aeabi_f* / __aeabi_d* helper).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "codegen/embedded_runtime.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

fs::path WriteRuntime() {
  const fs::path dir = test::TempDir("runtime");
  for (const EmbeddedFile& f : EmbeddedRuntimeFiles()) {
    fs::create_directories((dir / f.path).parent_path());
    std::ofstream(dir / f.path, std::ios::binary) << f.contents;
  }
  return dir;
}

std::vector<std::string> KernelSources() {
  std::vector<std::string> out;
  for (const EmbeddedFile& f : EmbeddedRuntimeFiles()) {
    if (f.path.rfind("kernels/", 0) == 0) out.emplace_back(f.path);
  }
  return out;
}

// True when an undefined-symbol list names an EABI soft-float helper:
// arithmetic (__aeabi_fadd, __aeabi_dmul), compares (__aeabi_cfcmple) or
// conversions (__aeabi_i2f, __aeabi_f2iz, __aeabi_d2lz).
bool CallsFloatHelper(const std::string& nm_output) {
  std::istringstream lines(nm_output);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t at = line.find("__aeabi_");
    if (at == std::string::npos) continue;
    const std::string rest = line.substr(at + 8);
    if (rest.rfind("f", 0) == 0 || rest.rfind("d", 0) == 0 || rest.rfind("cf", 0) == 0 ||
        rest.rfind("cd", 0) == 0 || rest.find("2f") != std::string::npos || rest.find("2d") != std::string::npos)
      return true;
  }
  return false;
}

struct Compiler {
  const char* name;
  const char* command;
};

constexpr Compiler kCompilers[] = {
    {"gcc", "gcc"},
    {"arm", "arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"},
    {"riscv", "riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 --specs=picolibc.specs"},
};

TEST(RuntimeKernels, CompileWarningFreeEverywhere) {
  const fs::path dir = WriteRuntime();
  for (const Compiler& c : kCompilers) {
    const std::string probe = std::string(c.command).substr(0, std::string(c.command).find(' '));
    ASSERT_TRUE(test::Installed(probe));
    for (const std::string& src : KernelSources()) {
      std::string log;
      const int rc = test::RunCommand(std::string(c.command) +
                                          " -std=c99 -O2 -Wall -Wextra -Werror -pedantic -Wshadow -I" +
                                          (dir / "include").string() + " -c " + (dir / src).string() +
                                          " -o " + (dir / "k.o").string(),
                                      &log);
      EXPECT_EQ(rc, 0) << c.name << " " << src << ":\n" << log;
    }
  }
  fs::remove_all(dir);
}

TEST(RuntimeKernels, IntegerKernelsUseNoFloatingPoint) {
  const fs::path dir = WriteRuntime();
  int checked = 0;
  for (const std::string& src : KernelSources()) {
    const std::string stem = fs::path(src).stem().string();
    const bool integer = stem.ends_with("_s8") || stem.ends_with("_s16") || stem.ends_with("_u8") ||
                         stem.ends_with("_s32") || stem.ends_with("_s8_s16");
    if (!integer || stem.rfind("dequantize", 0) == 0) continue;  // dequantize outputs float
    const fs::path obj = dir / (stem + ".o");
    std::string log;
    ASSERT_EQ(test::RunCommand("arm-none-eabi-gcc -mcpu=cortex-m0 -mthumb -mfloat-abi=soft -std=c99 -O2 -I" +
                                   (dir / "include").string() + " -c " + (dir / src).string() + " -o " + obj.string(),
                               &log),
              0)
        << log;
    std::string symbols;
    ASSERT_EQ(test::RunCommand("arm-none-eabi-nm -u " + obj.string(), &symbols), 0);
    EXPECT_FALSE(CallsFloatHelper(symbols)) << src << " uses floating point:\n" << symbols;
    ++checked;
  }
  EXPECT_GT(checked, 10);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kiln
