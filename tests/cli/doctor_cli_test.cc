// `kiln doctor` on this machine (the test command installs every board's
// tools, so all is ready) and on a PATH without the cross compilers and
// emulators, where it must name each missing tool and the apt-get line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;

std::string Kiln() { return test::KilnBinary().string(); }

TEST(KilnDoctorCli, EverythingIsReadyWhereTheTestCommandInstalledIt) {
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " doctor", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("board qemu-cortex-m4: ready"));
  EXPECT_THAT(out, HasSubstr("board qemu-rv32: ready"));
  EXPECT_THAT(out, HasSubstr("target cortex-m0: ready"));
  EXPECT_THAT(out, HasSubstr("target rv32imafc: ready"));
  EXPECT_THAT(out, testing::ContainsRegex("emulator +qemu-system-riscv32 +[0-9]+\\.[0-9]+"));
  EXPECT_THAT(out, testing::ContainsRegex("compiler +arm-none-eabi-gcc +[0-9]+\\.[0-9]+\\.[0-9]+"));
  EXPECT_THAT(out, HasSubstr("13 of 13 ready"));

  ASSERT_EQ(test::RunCommand(Kiln() + " doctor --board qemu-rv32 --format json", &out), 0) << out;
  const nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_TRUE(j.at("ready").get<bool>());
  ASSERT_EQ(j.at("subjects").size(), 1u);  // only what was asked about
  EXPECT_EQ(j["subjects"][0]["name"], "qemu-rv32");
  EXPECT_EQ(j["subjects"][0]["needs"].size(), 5u);
}

TEST(KilnDoctorCli, NamesWhatIsMissingAndTheAptGetLine) {
  // A PATH holding every program of /usr/bin except the cross compilers
  // and the emulators: a machine with only the host tools.
  const fs::path bin = test::TempDir("doctor_path");
  for (const auto& entry : fs::directory_iterator("/usr/bin")) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("arm-none-eabi-") || name.starts_with("riscv64-unknown-elf-") ||
        name.starts_with("qemu-system-"))
      continue;
    fs::create_symlink(entry.path(), bin / name);
  }
  std::string out;
  const std::string env = "env PATH=" + bin.string() + " ";
  EXPECT_EQ(test::RunCommand(env + Kiln() + " doctor", &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("host: ready"));
  EXPECT_THAT(out, HasSubstr("board qemu-rv32: MISSING riscv64-unknown-elf-gcc, picolibc, qemu-system-riscv32"));
  EXPECT_THAT(out, HasSubstr("target cortex-m4: MISSING arm-none-eabi-gcc, picolibc"));
  EXPECT_THAT(out, HasSubstr("missing: 'arm-none-eabi-gcc' is not installed (not found in PATH)"));
  EXPECT_THAT(out, HasSubstr("12 of 13 not ready"));
  EXPECT_THAT(out, HasSubstr("apt-get install gcc-arm-none-eabi gcc-riscv64-unknown-elf picolibc-arm-none-eabi "
                             "picolibc-riscv64-unknown-elf qemu-system-arm qemu-system-misc\n"));

  // Asking only about the host: ready, exit 0, no apt-get line.
  EXPECT_EQ(test::RunCommand(env + Kiln() + " doctor --host", &out), 0) << out;
  EXPECT_THAT(out, testing::Not(HasSubstr("apt-get")));

  ASSERT_EQ(test::RunCommand(env + Kiln() + " doctor --target rv32imac --format json", &out), 1) << out;
  const nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_FALSE(j.at("ready").get<bool>());
  EXPECT_EQ(j.at("apt_get_install"), nlohmann::json({"gcc-riscv64-unknown-elf", "picolibc-riscv64-unknown-elf"}));
}

TEST(KilnDoctorCli, AnUnknownBoardIsAnErrorListingTheBoards) {
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " doctor --board qemu-z80", &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("unknown board 'qemu-z80'; the boards are: qemu-cortex-m3, qemu-cortex-m4, qemu-cortex-m55, qemu-rv32"));
  EXPECT_EQ(test::RunCommand(Kiln() + " doctor --target z80", &out), 2) << out;
}

}  // namespace
}  // namespace kiln
