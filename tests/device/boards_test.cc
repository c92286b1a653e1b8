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

// A build for a board fits its flash: the budget defaults to the smaller of
// the board's flash (its memory map) and the target's typical part.
TEST(BoardsTest, ABuildForABoardDefaultsToItsProcessorAndFlash) {
  auto m55 = FindBoard("qemu-cortex-m55");
  auto m4 = FindBoard("qemu-cortex-m4");
  ASSERT_TRUE(m55.ok() && m4.ok());
  EXPECT_EQ((*m55)->flash_bytes, 512 * 1024);
  EXPECT_EQ((*m4)->flash_bytes, 4 * 1024 * 1024);
  std::string target;
  int64_t budget = 0;
  UseBoardDefaults(**m55, target, budget);
  EXPECT_EQ(target, "cortex-m55");
  EXPECT_EQ(budget, 512 * 1024);  // the board's, below the Cortex-M55's typical 2 MB
  target.clear();
  budget = 0;
  UseBoardDefaults(**m4, target, budget);
  auto m4_target = FindTarget("cortex-m4");
  ASSERT_TRUE(m4_target.ok());
  EXPECT_EQ(budget, (*m4_target)->typical_flash_bytes);  // the part's, below the board's 4 MB
  target = "cortex-m3";
  budget = 300 * 1024;
  UseBoardDefaults(**m4, target, budget);  // what the user asked for stays
  EXPECT_EQ(target, "cortex-m3");
  EXPECT_EQ(budget, 300 * 1024);
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
