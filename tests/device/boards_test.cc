// The boards of `kiln run --device` come from the bundled templates'
// board.json files: both QEMU boards are found and fully described.
#include <gtest/gtest.h>

#include "device/boards.h"

namespace kiln {
namespace {

TEST(BoardsTest, BothQemuBoardsComeFromTheBundledTemplates) {
  std::vector<std::string> names;
  for (const Board& b : AllBoards()) {
    names.push_back(b.name);
    EXPECT_FALSE(b.cc.empty()) << b.name;
    EXPECT_FALSE(b.cflags.empty()) << b.name;
    EXPECT_FALSE(b.platform_file.empty()) << b.name;
    EXPECT_GT(b.instructions_per_tick, 0) << b.name;
    ASSERT_FALSE(b.qemu.empty()) << b.name;
    EXPECT_TRUE(b.qemu[0].starts_with("qemu-system-")) << b.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"qemu-cortex-m4", "qemu-rv32"}));
  auto m4 = FindBoard("qemu-cortex-m4");
  ASSERT_TRUE(m4.ok()) << m4.message();
  EXPECT_EQ((*m4)->instructions_per_tick, 40);
}

TEST(BoardsTest, UnknownBoardListsTheKnownOnes) {
  auto none = FindBoard("qemu-z80");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.message().find("unknown board 'qemu-z80'"), std::string::npos) << none.message();
  EXPECT_NE(none.message().find("qemu-cortex-m4, qemu-rv32"), std::string::npos) << none.message();
}

}  // namespace
}  // namespace kiln
