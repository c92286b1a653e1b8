#include "test_support.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

namespace kiln::test {

std::filesystem::path SourceDir() { return KILN_SOURCE_DIR; }
std::filesystem::path SharedDir() { return KILN_SHARED_DIR; }
std::filesystem::path KilnBinary() { return KILN_BINARY; }

std::filesystem::path SharedTfliteModelDir(const std::string& name) {
  return SharedDir() / "models" / "tflite" / name;
}

std::vector<uint8_t> ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteBytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::filesystem::path TempDir(const std::string& stem) {
  std::string pattern = (std::filesystem::temp_directory_path() / ("kiln_test_" + stem + "_XXXXXX")).string();
  char* made = mkdtemp(pattern.data());
  return made ? std::filesystem::path(made) : std::filesystem::path();
}

int RunCommand(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf;
  std::string text;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) text.append(buf.data(), n);
  int status = pclose(pipe);
  if (output) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

testing::AssertionResult Installed(const std::string& tool) {
  // Every tool a test runs, by the package scripts/install-deps.sh installs.
  static const std::map<std::string, std::string> kPackage = {
      {"gcc", "gcc"},
      {"cc", "gcc"},
      {"make", "make"},
      {"python3", "python3"},
      {"chromium", "chromium"},
      {"arm-none-eabi-gcc", "gcc-arm-none-eabi"},
      {"riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf"},
      {"qemu-system-arm", "qemu-system-arm"},
      {"qemu-system-riscv32", "qemu-system-misc"},
      {"bash", "bash"},
      {"cmake", "cmake"},
      {"cpack", "cmake"},
      {"dpkg-deb", "dpkg"},
      {"dpkg-shlibdeps", "dpkg-dev"},
      {"file", "file"},
      {"groff", "groff-base"},
      {"man", "man-db"},
      {"sbatch", "slurm-wlm"},
  };
  const auto package = kPackage.find(tool);
  if (package == kPackage.end())
    return testing::AssertionFailure() << "no Debian package is known for '" << tool
                                       << "': add it to test::Installed and to scripts/install-deps.sh";
  if (RunCommand("command -v '" + tool + "'") == 0) return testing::AssertionSuccess();
  return testing::AssertionFailure() << tool << " is not installed: apt-get install " << package->second
                                     << " (scripts/install-deps.sh installs it)";
}

std::string TestNameOf(std::string text) {
  for (char& c : text)
    if (c == '-') c = '_';
  return text;
}

testing::AssertionResult InstalledData(const std::filesystem::path& dir, const std::string& package) {
  if (std::filesystem::is_directory(dir)) return testing::AssertionSuccess();
  return testing::AssertionFailure() << dir.string() << " is missing: apt-get install " << package
                                     << " (scripts/install-deps.sh installs it)";
}

}  // namespace kiln::test
