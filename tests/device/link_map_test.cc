// Reading a GNU ld map: kept input sections with their sizes and objects,
// in both of ld's line layouts; discarded, debug and fill lines left out.
#include <gtest/gtest.h>

#include "device/link_map.h"

namespace kiln {
namespace {

constexpr const char* kMap = R"(Archive member included to satisfy reference by file (symbol)

libc.a(memcpy.c.o)            build/obj/a.o (memcpy)

Discarded input sections

 .text          0x00000000        0x0 build/obj/a.o
 .text.unused   0x00000000       0x40 build/obj/a.o

Memory Configuration

Name             Origin             Length             Attributes
flash            0x00000000         0x00400000         xr

Linker script and memory map

LOAD build/obj/a.o

.text           0x00000040      0x200
 *(.text .text.*)
 .text.kiln_conv2d_s8
                0x00000040      0x2d4 build/obj/model/runtime/src/kernels/conv2d_s8.o
                0x00000040                kiln_conv2d_s8
 .text.memcpy   0x00000314       0x1c /usr/lib/libc.a(memcpy.c.o)
 *fill*         0x00000330        0x2 
 .text.empty    0x00000334        0x0 build/obj/a.o

.rodata         0x00000400      0x100
 .rodata.kiln_default_weights
                0x00000400       0xf0 build/obj/model/codegen/host/src/kiln_default_constants.o

.bss            0x20000000      0x800
 .bss.kiln_default_workspace
                0x20000000      0x7f0 build/obj/model/codegen/host/src/kiln_default.o
 COMMON         0x200007f0       0x10 build/obj/a.o

.debug_info     0x00000000     0x1234
 .debug_info    0x00000000     0x1234 build/obj/a.o
)";

TEST(LinkMapTest, KeptSectionsWithSizesAndObjects) {
  auto sections = ParseLinkMap(kMap);
  ASSERT_TRUE(sections.ok()) << sections.message();
  ASSERT_EQ(sections->size(), 5u);
  const LinkedSection& conv = (*sections)[0];
  EXPECT_EQ(conv.output_section, ".text");
  EXPECT_EQ(conv.input_section, ".text.kiln_conv2d_s8");
  EXPECT_EQ(conv.object, "build/obj/model/runtime/src/kernels/conv2d_s8.o");
  EXPECT_EQ(conv.size, 0x2d4u);
  EXPECT_EQ((*sections)[1].object, "/usr/lib/libc.a(memcpy.c.o)");
  EXPECT_EQ((*sections)[1].size, 0x1cu);
  EXPECT_EQ((*sections)[2].input_section, ".rodata.kiln_default_weights");
  EXPECT_EQ((*sections)[2].size, 0xf0u);
  EXPECT_EQ((*sections)[3].size, 0x7f0u);
  EXPECT_EQ((*sections)[4].input_section, "COMMON");
  EXPECT_EQ(ClassifySection((*sections)[4].input_section), SectionClass::kBss);
  EXPECT_EQ(ClassifySection(".text.kiln_conv2d_s8"), SectionClass::kText);
  EXPECT_EQ(ClassifySection(".srodata.cst4"), SectionClass::kRodata);
  EXPECT_EQ(ClassifySection(".sdata.x"), SectionClass::kData);
}

TEST(LinkMapTest, SomethingElseIsAnError) {
  auto bad = ParseLinkMap("this is not a map\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("not a GNU ld map"), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace kiln
