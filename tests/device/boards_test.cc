// The boards of `kiln run --device` come from the bundled templates'
// board.json files: every QEMU board is found and fully described.
#include <algorithm>

#include <gtest/gtest.h>

#include "device/boards.h"
#include "target/targets.h"

namespace kiln {
namespace {

TEST(BoardsTest, EveryQemuBoardComesFromTheBundledTemplates) {
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
  EXPECT_EQ(names, (std::vector<std::string>{"qemu-cortex-m3", "qemu-cortex-m4", "qemu-cortex-m55", "qemu-rv32"}));
  auto m4 = FindBoard("qemu-cortex-m4");
  ASSERT_TRUE(m4.ok()) << m4.message();
  EXPECT_EQ((*m4)->instructions_per_tick, 40);
}

// A board's flags are its target's architecture flags plus its C library's:
// the target table and the board files cannot drift apart.
TEST(BoardsTest, EveryBoardCompilesForItsTarget) {
  for (const Board& b : AllBoards()) {
    auto target = FindTarget(b.target);
    ASSERT_TRUE(target.ok()) << b.name << ": " << target.message();
    EXPECT_EQ(b.cc, (*target)->cc) << b.name;
    for (const std::string& flag : (*target)->arch_cflags)
      EXPECT_NE(std::find(b.cflags.begin(), b.cflags.end(), flag), b.cflags.end()) << b.name << " lacks " << flag;
  }
}

TEST(BoardsTest, UnknownTargetListsTheKnownOnes) {
  auto none = FindTarget("z80");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.message().find("cortex-m4"), std::string::npos) << none.message();
  EXPECT_NE(none.message().find("rv32imac"), std::string::npos) << none.message();
}

TEST(BoardsTest, UnknownBoardListsTheKnownOnes) {
  auto none = FindBoard("qemu-z80");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.message().find("unknown board 'qemu-z80'"), std::string::npos) << none.message();
  EXPECT_NE(none.message().find("qemu-cortex-m4, qemu-cortex-m55, qemu-rv32"), std::string::npos) << none.message();
}

}  // namespace
}  // namespace kiln
