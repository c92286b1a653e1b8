// What each object file put into a linked firmware image, read from the GNU
// ld map (-Wl,-Map): the sections the link kept after --gc-sections, with
// their sizes. `kiln micro size` and the footprint checks read firmware
// through this, so "how big is it really" has one answer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"

namespace kiln {

/// One input section the link kept.
struct LinkedSection {
  std::string output_section;  ///< ".text", ".data", ...
  std::string input_section;   ///< ".text.kiln_conv2d_s8", "COMMON", ...
  std::string object;          ///< "build/obj/model/runtime/src/kernels/conv2d_s8.o", "/usr/.../libc.a(memcpy.o)"
  uint64_t size = 0;
};

/// Where a section's bytes go: flash (text, rodata), both (data: stored in
/// flash, copied to RAM) or RAM only (bss).
enum class SectionClass { kText, kRodata, kData, kBss, kOther };
SectionClass ClassifySection(std::string_view input_section);

/// The kept, non-empty, allocated input sections of a GNU ld map file's
/// "Linker script and memory map" part. Debug and note sections are left
/// out. An error when `map` is not a GNU ld map.
Expected<std::vector<LinkedSection>> ParseLinkMap(std::string_view map);

}  // namespace kiln
