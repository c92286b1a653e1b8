// Readers for what binutils and GCC say about compiled objects: the
// symbol table and relocations (objdump -t / -r), GCC's call graph with
// stack frames (-fcallgraph-info=su, the .ci files), the symbols each
// archive member defines and needs (nm -A), and the stack a function's
// prologue reserves (objdump -d), for library code built without
// -fstack-usage. The footprint size tables are made from these.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::footprint {

/// An object's symbol table: which section defines each symbol.
struct ObjectSymbols {
  std::map<std::string, std::string> section_of;  ///< defined symbol -> its section
  std::set<std::string> globals;                  ///< defined global functions
  std::set<std::string> undefined;
  std::map<std::string, uint64_t> section_size;   ///< allocated sections in the object, bytes
};
/// Parses `objdump -t -h` output of one object.
ObjectSymbols ParseObjectSymbols(std::string_view objdump_t_h);

/// Per section, the symbols its relocations name (`objdump -r`): section
/// names, defined symbols or undefined ones. Local labels (.L...) are left out.
std::map<std::string, std::set<std::string>> ParseRelocations(std::string_view objdump_r);

/// A function's own stack frame from a .ci file, by its assembler name.
/// `bounded` is false when the frame has a dynamic part GCC cannot bound.
struct Frame {
  int64_t bytes = 0;
  bool bounded = true;
};
std::map<std::string, Frame> ParseCallgraphInfo(std::string_view ci);

/// One archive member's symbols, from `nm -A` over an archive.
struct MemberSymbols {
  std::set<std::string> defines;
  std::set<std::string> needs;
};
/// Keyed by "archive(member)", as the link map names members.
std::map<std::string, MemberSymbols> ParseArchiveSymbols(std::string_view nm_A, const std::string& archive);

/// Stack each function of a disassembly (`objdump -d --no-show-raw-insn`)
/// reserves in its prologue: pushed registers plus the stack pointer
/// adjustment, Arm Thumb and RISC-V.
std::map<std::string, int64_t> ParsePrologueFrames(std::string_view disassembly);

/// "Archive member included to satisfy reference by file (symbol)": each
/// member the link pulled in, as "archive(member)".
std::vector<std::string> ParseArchiveMembers(std::string_view map);

}  // namespace kiln::footprint
