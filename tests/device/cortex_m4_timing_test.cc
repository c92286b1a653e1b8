// The cycle model against loops counted by hand from the Cortex-M4 TRM's
// table 3-1 (../shared/design/performance-facts.md): each loop is real
// Thumb-2 code, assembled with arm-none-eabi-gcc, run on QEMU's Cortex-M4,
// and profiled from QEMU's execution log exactly as `kiln run --device`
// profiles a model. The hand counts are written next to each instruction;
// they split into cycles without refills plus taken branches, each of which
// costs the refill P (1-3 cycles).
#include <gtest/gtest.h>

#include <fstream>

#include "device/boards.h"
#include "device/cortex_m4_timing.h"
#include "device/run_profile.h"
#include "support/process.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLoops = R"(
  .syntax unified
  .thumb
  .text

  @ r0 = n. Per iteration adds, subs, bne: 3, and the bne is taken n-1 times.
  @ n = 10: movs 1 + 10 x 3 + bx 1 = 32 cycles; taken 9 + bx = 10.
  .global alu_loop
  .type alu_loop, %function
alu_loop:
  movs r1, #0             @ 1
1:adds r1, r1, r0         @ 1
  subs r0, r0, #1         @ 1
  bne 1b                  @ 1, + P taken
  mov r0, r1              @ 1
  bx lr                   @ 1 + P
  @ (with the mov: 33 cycles)

  @ r0 = 4 words, r1 = n. Neighbouring independent loads pipeline: 2, 1, 1.
  @ Per iteration 2+1+1+1+1+1+1 = 8; n = 5: 40 + bx 1 = 41; taken 4 + 1 = 5.
  .global load_loop
  .type load_loop, %function
load_loop:
1:ldr r2, [r0]            @ 2 (after a branch: nothing to pipeline with)
  ldr r3, [r0, #4]        @ 1 (pipelined)
  ldr ip, [r0, #8]        @ 1 (pipelined)
  add r2, r2, r3          @ 1
  str r2, [r0, #12]       @ 1 (write buffer)
  subs r1, r1, #1         @ 1
  bne 1b                  @ 1, + P taken
  bx lr                   @ 1 + P

  @ r0 = 4 words. An address computed by the instruction just before stalls
  @ the load a cycle; a load after a store does not pipeline.
  @ 1 + 3 + 1 + 1 + 2 + 4 + 4 = 16 cycles; taken: the pop into pc = 1.
  .global address_stall
  .type address_stall, %function
address_stall:
  adds r1, r0, #4         @ 1
  ldr r2, [r1]            @ 2 + 1 stall
  ldr r3, [r0]            @ 1 (pipelined, independent)
  str r3, [r0, #12]       @ 1
  ldr r3, [r0, #8]        @ 2 (after a store)
  push {r4, r5, lr}       @ 1 + 3
  pop {r4, r5, pc}        @ 1 + 3, + P

  @ r0 = 2 words, r1 = n. SIMD multiply-accumulate: 1 cycle each.
  @ push 3 + movs 1 + n x (ldm 3 + sxtb16 1 + smlad 1 + subs 1 + bne 1)
  @ + mov 1 + pop 3 + bx 1; n = 4: 4 + 28 + 5 = 37; taken 3 + 1 = 4.
  .global dsp_loop
  .type dsp_loop, %function
dsp_loop:
  push {r4, r5}           @ 1 + 2
  movs r2, #0             @ 1
1:ldm r0, {r3, r4}        @ 1 + 2
  sxtb16 r5, r3           @ 1
  smlad r2, r5, r4, r2    @ 1
  subs r1, #1             @ 1
  bne 1b                  @ 1, + P taken
  mov r0, r2              @ 1
  pop {r4, r5}            @ 1 + 2
  bx lr                   @ 1 + P

  @ r0 = n. IT blocks (the model does not fold IT) and compare-and-branch.
  @ Per iteration cmp, ite, add, add, subs, cbz: 6; b 1b on all but the last.
  @ n = 3: movs 1 + 3 x 6 + 2 x b 1 + mov 1 + bx 1 = 23; taken: 2 b, the
  @ last cbz, bx = 4.
  .global it_loop
  .type it_loop, %function
it_loop:
  movs r1, #0             @ 1
1:cmp r0, #2              @ 1
  ite lt                  @ 1
  addlt r1, #1            @ 1
  addge r1, #2            @ 1
  subs r0, #1             @ 1
  cbz r0, 2f              @ 1, + P taken
  b 1b                    @ 1 + P
2:mov r0, r1              @ 1
  bx lr                   @ 1 + P
)";

constexpr const char* kMain = R"(
#include <stdint.h>
int alu_loop(int n);
void load_loop(int32_t* words, int n);
void address_stall(int32_t* words);
int dsp_loop(const int32_t* words, int n);
int it_loop(int n);
volatile int sink;
int main(void) {
  static int32_t words[4] = {1, 2, 3, 4};
  sink = alu_loop(10);
  load_loop(words, 5);
  address_stall(words);
  sink = dsp_loop(words, 4);
  sink = it_loop(3);
  return 0;
}
)";

struct HandCount {
  const char* function;
  uint64_t instructions;
  uint64_t cycles;  ///< without refills
  uint64_t taken;   ///< taken branches
};

// Instructions: alu_loop 1 + 30 + 2; load_loop 5 x 7 + 1; address_stall 7;
// dsp_loop 2 + 4 x 5 + 3; it_loop 1 + 3 x 6 + 2 + 2.
constexpr HandCount kHandCounts[] = {
    {"alu_loop", 33, 33, 10},  {"load_loop", 36, 41, 5}, {"address_stall", 7, 16, 1},
    {"dsp_loop", 25, 37, 4},   {"it_loop", 23, 23, 4},
};

TEST(CortexM4Timing, HandCountedLoopsOnTheEmulator) {
  auto found = FindBoard("qemu-cortex-m4");
  ASSERT_TRUE(found.ok()) << found.message();
  const Board& board = **found;
  const fs::path dir = test::TempDir("m4-timing");
  std::ofstream(dir / "loops.S") << kLoops;
  std::ofstream(dir / "main.c") << kMain;
  std::vector<std::string> cc = {board.cc};
  cc.insert(cc.end(), board.cflags.begin(), board.cflags.end());
  cc.insert(cc.end(), {"-O2", "main.c", "loops.S"});
  cc.insert(cc.end(), board.ldflags.begin(), board.ldflags.end());
  cc.insert(cc.end(), {"-o", "loops.elf"});
  auto built = RunProcess(cc, dir);
  ASSERT_TRUE(built.ok()) << built.message();
  ASSERT_EQ(built->exit_code, 0) << built->output;

  std::vector<std::string> qemu = board.qemu;
  qemu.insert(qemu.end(), {"-kernel", "loops.elf", "-d", "in_asm,exec,nochain", "-D", "exec.log"});
  auto ran = RunProcess(qemu, dir);
  ASSERT_TRUE(ran.ok()) << ran.message();
  ASSERT_EQ(ran->exit_code, 0) << ran->output;
  std::ifstream in(dir / "exec.log", std::ios::binary);
  const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(log.empty());

  for (const HandCount& expected : kHandCounts) {
    SCOPED_TRACE(expected.function);
    RunProfiler profiler(expected.function, "no_hook");
    // Fed in odd-sized pieces: lines split across reads as they do from the pipe.
    for (size_t at = 0; at < log.size(); at += 4093) profiler.Feed(std::string_view(log).substr(at, 4093));
    ASSERT_EQ(profiler.completed_runs(), 1u);
    const ExecutionCounts& c = profiler.last_run().total;
    EXPECT_EQ(c.instructions, expected.instructions);
    EXPECT_EQ(c.cycles, expected.cycles);
    EXPECT_EQ(c.taken_branches, expected.taken);
  }
}

TracedInstruction Insn(uint64_t address, std::string mnemonic, std::string operands, uint8_t size = 2) {
  return {.address = address, .size = size, .mnemonic = std::move(mnemonic), .operands = std::move(operands)};
}

TEST(CortexM4Timing, ReadsCapstonesSpellings) {
  // Width and type qualifiers, conditions inside IT blocks, flag-setting
  // forms, and mnemonics that look like a shorter one with a suffix.
  const std::vector<TracedInstruction> block = {
      Insn(0x100, "ldr.w", "r3, [r2, #0xd88]", 4),  // 2
      Insn(0x104, "ldrbeq", "r1, [r0]"),           // 1: pipelines after the load
      Insn(0x106, "mls", "r0, r1, r2, r0"),         // 1, not a conditional "ml"
      Insn(0x108, "bics", "r0, r1"),                // 1, not "bi" + cs
      Insn(0x10a, "sdiv", "r0, r0, r1", 4),         // 7
      Insn(0x10e, "vmla.f32", "s0, s1, s2", 4),     // 3
      Insn(0x112, "vpush", "{d8, d9}"),             // 1 + 4 words
      Insn(0x114, "pople", "{r4, pc}"),             // 1 + 2, a branch
  };
  const BlockTiming t = TimeCortexM4Block(block);
  EXPECT_EQ(t.each, (std::vector<uint16_t>{2, 1, 1, 1, 7, 3, 5, 3}));
  EXPECT_TRUE(t.ends_in_control_flow);
  EXPECT_FALSE(t.ends_in_call);
  EXPECT_EQ(t.fallthrough, 0x116u);
  EXPECT_TRUE(TimeCortexM4Block(std::vector{Insn(0x200, "bl", "#0x400", 4)}).ends_in_call);
  EXPECT_FALSE(TimeCortexM4Block(std::vector{Insn(0x200, "bls", "#0x400")}).ends_in_call);
}

}  // namespace
}  // namespace kiln
