// The run profiler on real firmware and on the log's corner cases: a
// model's traced instructions equal QEMU's -icount count of the same run,
// and each operator gets its own share; the parser survives the lines QEMU
// interleaves and takes back blocks that stopped early.
#include <gtest/gtest.h>

#include "device/device_runner.h"
#include "device/qemu_exec_log.h"
#include "device/run_profile.h"
#include "driver/compile.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

TEST(RunProfile, TracedInstructionsEqualTheInstructionCounter) {
  auto board = FindBoard("qemu-cortex-m4");
  ASSERT_TRUE(board.ok()) << board.message();
  const fs::path dir = test::SharedDir() / "models" / "tflite" / "micro_speech_quantized";
  auto library = CompileModelFile(dir / "model.tflite", CodegenOptions{.target = "cortex-m4"});
  ASSERT_TRUE(library.ok()) << library.message();
  auto session = DeviceSession::Start(*library, **board, {.profile_cycles = true});
  ASSERT_TRUE(session.ok()) << session.message();
  ASSERT_TRUE((*session)->profiles_cycles());
  fs::path input;
  for (const auto& entry : fs::directory_iterator(dir / "cases")) input = entry.path() / "input_0.bin";
  const fs::path out = test::TempDir("run_profile");
  auto ticks = (*session)->Run({input}, out);
  ASSERT_TRUE(ticks.ok()) << ticks.message();
  auto profile = (*session)->LastRunProfile();
  ASSERT_TRUE(profile.ok()) << profile.message();
  ASSERT_TRUE(profile->complete);

  // The timer ticks every 40 instructions and brackets run() with a call
  // each side: the two counts agree to within a tick and those calls.
  const int64_t counted = static_cast<int64_t>(*ticks) * (*board)->instructions_per_tick;
  EXPECT_NEAR(static_cast<double>(profile->total.instructions), static_cast<double>(counted),
              2.0 * (*board)->instructions_per_tick);
  const size_t operators = library->metadata.at("operators").size();
  ASSERT_EQ(profile->operators.size(), operators);
  uint64_t in_operators = 0;
  for (const ExecutionCounts& c : profile->operators) {
    EXPECT_GT(c.instructions, 0u);
    EXPECT_GE(c.Cycles(), c.instructions);  // no instruction takes less than a cycle
    in_operators += c.instructions;
  }
  EXPECT_LE(in_operators + profile->hooks.instructions, profile->total.instructions);
  EXPECT_GT(in_operators, profile->total.instructions * 9 / 10);

  // The blocks (kiln run --hot-blocks) share out the run exactly.
  ExecutionCounts in_blocks;
  for (const auto& [pc, block] : profile->blocks) {
    EXPECT_FALSE(block.code.empty()) << pc;
    EXPECT_GT(block.runs, 0u) << pc;
    for (int op : block.operators) EXPECT_LT(op, static_cast<int>(operators)) << pc;
    in_blocks.instructions += block.counts.instructions;
    in_blocks.cycles += block.counts.cycles;
    in_blocks.taken_branches += block.counts.taken_branches;
  }
  EXPECT_GT(profile->blocks.size(), 10u);
  EXPECT_EQ(in_blocks.instructions, profile->total.instructions);
  EXPECT_EQ(in_blocks.cycles, profile->total.cycles);
  EXPECT_EQ(in_blocks.taken_branches, profile->total.taken_branches);
  fs::remove_all(out);
}

TEST(QemuExecLog, ReadsBlocksAndTakesBackStoppedOnes) {
  const std::string log =
      "----------------\n"
      "IN: f\n"
      "0x00000100:  b508       push     {r3, lr}\n"
      "0x00000102:  f8d2 3d88  ldr.w    r3, [r2, #0xd88]\n"
      "0x00000106:  4770       bx       lr\n"
      "\n"
      "Trace 0: 0x7f0000000100 [00800408/00000100/00000110/ff020200] f\n"
      "Stopped execution of TB chain before 0x7f0000000100 [00000100] f\n"
      "Trace 0: 0x7f0000000100 [00800408/00000100/00000110/ff020200] f\n"
      "cpu_io_recompile: rewound execution of TB to 00000102\n"
      "Guest error the parser does not know\n";
  std::vector<uint64_t> executed;
  std::vector<uint64_t> rewound;
  QemuExecLogParser parser({.executed = [&](const TranslatedBlock& b) {
                              EXPECT_EQ(b.symbol, "f");
                              ASSERT_EQ(b.instructions.size(), 3u);
                              EXPECT_EQ(b.instructions[1].size, 4);
                              EXPECT_EQ(b.instructions[1].mnemonic, "ldr.w");
                              EXPECT_EQ(b.instructions[1].operands, "r3, [r2, #0xd88]");
                              executed.push_back(b.pc);
                            },
                            .rewound = [&](uint64_t pc) { rewound.push_back(pc); }});
  for (char c : log) parser.Feed(std::string_view(&c, 1));  // one byte at a time
  EXPECT_EQ(executed, (std::vector<uint64_t>{0x100, 0x100}));
  EXPECT_EQ(rewound, (std::vector<uint64_t>{0x100, 0x102}));
  EXPECT_EQ(parser.unparsed_lines(), 1u);
}

TEST(QemuExecLog, ARunThatNeverReturnsIsNotReported) {
  RunProfiler profiler("kiln_m_run", "kiln_platform_ticks");
  profiler.Feed(
      "IN: caller\n"
      "0x00000200:  f000 f800  bl       #0x300\n"
      "\n"
      "Trace 0: 0x7f0000000200 [00800408/00000200/00000110/ff020200] caller\n"
      "IN: kiln_m_run\n"
      "0x00000300:  e7fe       b        #0x300\n"
      "\n"
      "Trace 0: 0x7f0000000300 [00800408/00000300/00000110/ff020200] kiln_m_run\n"
      "Trace 0: 0x7f0000000300 [00800408/00000300/00000110/ff020200] kiln_m_run\n");
  EXPECT_EQ(profiler.completed_runs(), 0u);
  EXPECT_FALSE(profiler.last_run().complete);
}

}  // namespace
}  // namespace kiln
