#include "device/link_map.h"

#include <sstream>

namespace kiln {
namespace {

constexpr std::string_view kMemoryMapHeading = "Linker script and memory map";

bool StartsWithAny(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes)
    if (s.starts_with(p)) return true;
  return false;
}

/// Sections that take no bytes in the image: debug info, notes, attributes.
bool NotAllocated(std::string_view section) {
  return StartsWithAny(section, {".debug", ".comment", ".note", ".ARM.attributes", ".riscv.attributes", ".stab",
                                 ".gnu.attributes", ".discard"});
}

std::vector<std::string> Split(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool ParseHex(const std::string& word, uint64_t* value) {
  if (!word.starts_with("0x")) return false;
  try {
    size_t used = 0;
    *value = std::stoull(word.substr(2), &used, 16);
    return used == word.size() - 2;
  } catch (...) {
    return false;
  }
}

/// "ADDRESS SIZE OBJECT..." (the tail of an input section line): the size
/// and the object, or false when the words are something else (a symbol).
bool ParsePlacement(const std::vector<std::string>& words, size_t from, uint64_t* size, std::string* object) {
  uint64_t address = 0;
  if (words.size() < from + 3 || !ParseHex(words[from], &address) || !ParseHex(words[from + 1], size)) return false;
  object->clear();
  for (size_t i = from + 2; i < words.size(); ++i) *object += (object->empty() ? "" : " ") + words[i];
  return true;
}

}  // namespace

SectionClass ClassifySection(std::string_view s) {
  if (StartsWithAny(s, {".text", ".init", ".fini", ".vectors", ".isr_vector", ".glue_7", ".vfp11_veneer", ".v4_bx",
                        ".iplt"}))
    return SectionClass::kText;
  if (StartsWithAny(s, {".rodata", ".srodata", ".ARM.exidx", ".ARM.extab", ".eh_frame", ".init_array",
                        ".fini_array", ".preinit_array"}))
    return SectionClass::kRodata;
  if (StartsWithAny(s, {".data", ".sdata", ".tdata", ".got"})) return SectionClass::kData;
  if (StartsWithAny(s, {".bss", ".sbss", ".tbss", "COMMON", ".noinit"})) return SectionClass::kBss;
  return SectionClass::kOther;
}

Expected<std::vector<LinkedSection>> ParseLinkMap(std::string_view map) {
  const size_t start = map.find(kMemoryMapHeading);
  if (start == std::string_view::npos)
    return MakeError("not a GNU ld map file (no '{}' heading)", kMemoryMapHeading);
  std::vector<LinkedSection> kept;
  std::string output_section, pending;  // pending: an input section whose placement is on the next line
  std::istringstream lines{std::string(map.substr(start))};
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const std::vector<std::string> words = Split(line);
    if (words.empty()) continue;
    if (line[0] == '.') {  // an output section: ".text  0x0  0x5a34" or just ".text"
      output_section = words[0];
      pending.clear();
      continue;
    }
    if (line[0] != ' ') {
      pending.clear();
      continue;
    }
    LinkedSection s;
    s.output_section = output_section;
    if (!pending.empty()) {
      // "                0x00000400       0x88 obj.o" completes the previous line.
      const std::string name = std::exchange(pending, std::string());
      if (ParsePlacement(words, 0, &s.size, &s.object)) {
        s.input_section = name;
        if (s.size > 0 && !NotAllocated(name) && !NotAllocated(output_section)) kept.push_back(s);
        continue;
      }
    }
    // " .text.name 0x.. 0x.. obj.o", " COMMON 0x.. 0x.. obj.o", or " .text.long_name" alone.
    if (line.size() < 2 || line[1] == ' ' || words[0].starts_with("*")) continue;
    if (words.size() == 1) {
      pending = words[0];
      continue;
    }
    if (ParsePlacement(words, 1, &s.size, &s.object)) {
      s.input_section = words[0];
      if (s.size > 0 && !NotAllocated(s.input_section) && !NotAllocated(output_section)) kept.push_back(s);
    }
  }
  return kept;
}

}  // namespace kiln
