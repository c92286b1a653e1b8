// Helpers shared by the tests: paths to the source tree and the shared
// models, file I/O, and building small TFLite models in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kiln::test {

std::filesystem::path SourceDir();
/// ../shared next to the source tree (models with reference outputs).
std::filesystem::path SharedDir();
std::filesystem::path KilnBinary();
/// ../shared/models/tflite/<name>: a shared model's folder (model.tflite, cases/).
std::filesystem::path SharedTfliteModelDir(const std::string& name);

std::vector<uint8_t> ReadBytes(const std::filesystem::path& path);
void WriteBytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

/// A fresh empty directory under the system temp dir, removed at exit.
std::filesystem::path TempDir(const std::string& stem);

/// Runs a shell command; returns its exit code and captures stdout+stderr.
int RunCommand(const std::string& command, std::string* output = nullptr);

/// Success when `tool` (a command: "arm-none-eabi-gcc", "qemu-system-riscv32")
/// is on PATH, else a failure naming the Debian package that provides it.
/// scripts/install-deps.sh installs every such package, so a missing tool
/// fails the test (ASSERT_TRUE(test::Installed(...))): never a skip.
testing::AssertionResult Installed(const std::string& tool);
/// The same for a data folder a Debian package installs.
testing::AssertionResult InstalledData(const std::filesystem::path& dir, const std::string& package);

/// `text` as a gtest parameter name: '-' is not allowed there, '_' stands for it.
std::string TestNameOf(std::string text);
/// The name printer of suites instantiated over board names ("qemu-cortex-m4"
/// -> "qemu_cortex_m4").
struct BoardTestName {
  template <typename Param>
  std::string operator()(const testing::TestParamInfo<Param>& info) const {
    return TestNameOf(info.param);
  }
};

}  // namespace kiln::test
