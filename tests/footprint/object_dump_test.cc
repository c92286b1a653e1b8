// Parsers of src/footprint/object_dump.cc and --budget, on text as the
// Debian cross binutils and GCC 12 print it.
#include "footprint/object_dump.h"

#include <gtest/gtest.h>

#include "footprint/estimate.h"

namespace kiln::footprint {
namespace {

TEST(FootprintParsers, CallgraphInfoFramesByAssemblerName) {
  const auto frames = ParseCallgraphInfo(
      "graph: { title: \"k.c\"\n"
      "node: { title: \"/x/k.c:kiln_softmax_s8_exp.isra.0\" label: \"kiln_softmax_s8_exp.isra\\n/x/k.c:13:16\\n20 "
      "bytes (static)\" }\n"
      "node: { title: \"kiln_softmax_s8\" label: \"kiln_softmax_s8\\n/x/k.c:71:6\\n32 bytes (dynamic)\" }\n"
      "node: { title: \"expf\" label: \"expf\\n/usr/include/math.h:473:14\" shape : ellipse }\n");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames.at("kiln_softmax_s8_exp.isra.0").bytes, 20);
  EXPECT_TRUE(frames.at("kiln_softmax_s8_exp.isra.0").bounded);
  EXPECT_EQ(frames.at("kiln_softmax_s8").bytes, 32);
  EXPECT_FALSE(frames.at("kiln_softmax_s8").bounded);
}

TEST(FootprintParsers, PrologueFramesOfThumbAndRiscV) {
  const auto frames = ParsePrologueFrames(
      "000001ac <kiln_default_run>:\n"
      "     1ac:\tcbz\tr0, 1f4 <kiln_default_run+0x48>\n"
      "     1ae:\tpush\t{r4, r5, r6, lr}\n"
      "     1b2:\tsub\tsp, #8\n"
      "00000300 <expf>:\n"
      "     300:\tvpush\t{d8-d9}\n"
      "     304:\tstmdb\tsp!, {r4, r5, r6, r7, r8, lr}\n"
      "80000100 <__addsf3>:\n"
      "80000100:\taddi\tsp,sp,-32\n"
      "80000200 <__mulsf3>:\n"
      "80000200:\tadd\tsp,sp,-16\n");  // binutils 2.40 prints addi to sp as add
  EXPECT_EQ(frames.at("kiln_default_run"), 16 + 8);
  EXPECT_EQ(frames.at("expf"), 16 + 24);
  EXPECT_EQ(frames.at("__addsf3"), 32);
  EXPECT_EQ(frames.at("__mulsf3"), 16);
}

TEST(FootprintParsers, RelocationsNameSectionsAndSymbols) {
  const auto refs = ParseRelocations(
      "RELOCATION RECORDS FOR [.text.kiln_logistic_f32]:\n"
      "OFFSET   TYPE              VALUE\n"
      "0000001c R_RISCV_BRANCH    .L1\n"
      "00000020 R_RISCV_HI20      .LC1\n"
      "00000020 R_RISCV_RELAX     *ABS*\n"
      "00000048 R_RISCV_CALL_PLT  expf\n"
      "00000200 R_ARM_ABS32       .rodata.kBarrelMultipliers.0+0x4\n");
  EXPECT_EQ(refs.at(".text.kiln_logistic_f32"), (std::set<std::string>{"expf", ".rodata.kBarrelMultipliers.0"}));
}

TEST(FootprintParsers, ArchiveMembersAndTheirSymbols) {
  const auto members = ParseArchiveMembers(
      "Archive member included to satisfy reference by file (symbol)\n\n"
      "/usr/lib/libgcc.a(addsf3.o)\n"
      "                              k/logistic_f32.o (__addsf3)\n"
      "/usr/lib/libc.a(libm_math_sf_exp.c.o)\n"
      "                              k/logistic_f32.o (expf)\n\n"
      "Discarded input sections\n");
  EXPECT_EQ(members, (std::vector<std::string>{"/usr/lib/libgcc.a(addsf3.o)", "/usr/lib/libc.a(libm_math_sf_exp.c.o)"}));
  const auto symbols = ParseArchiveSymbols(
      "/usr/lib/libc.a:libm_math_sf_exp.c.o:         U __addsf3\n"
      "/usr/lib/libc.a:libm_math_sf_exp.c.o:00000000 T expf\n",
      "/usr/lib/libc.a");
  const MemberSymbols& exp = symbols.at("/usr/lib/libc.a(libm_math_sf_exp.c.o)");
  EXPECT_EQ(exp.defines, std::set<std::string>{"expf"});
  EXPECT_EQ(exp.needs, std::set<std::string>{"__addsf3"});
}

TEST(FootprintParsers, Budget) {
  auto b = ParseBudget("flash=1M,ram=320K");
  ASSERT_TRUE(b.ok()) << b.message();
  EXPECT_EQ(*b->flash_bytes, 1024 * 1024);
  EXPECT_EQ(*b->ram_bytes, 320 * 1024);
  auto ram_only = ParseBudget("ram=4096");
  ASSERT_TRUE(ram_only.ok());
  EXPECT_FALSE(ram_only->flash_bytes.has_value());
  EXPECT_NE(ParseBudget("flash=1G").message().find("not a size"), std::string::npos);
  EXPECT_NE(ParseBudget("rom=1K").message().find("unknown limit 'rom'"), std::string::npos);
  EXPECT_FALSE(ParseBudget("flash").ok());
}

}  // namespace
}  // namespace kiln::footprint
