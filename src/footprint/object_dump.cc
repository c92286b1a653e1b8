#include "footprint/object_dump.h"

#include <regex>
#include <sstream>

namespace kiln::footprint {
namespace {

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool IsHex(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

/// Registers in an Arm register list "{r4, r5, r8-r11, lr}", as bytes.
int64_t RegisterListBytes(const std::string& list) {
  static const std::regex item(R"(([rsd])(\d+)(?:-[rsd](\d+))?|lr|ip|fp|sl|sb)");
  int64_t bytes = 0;
  for (auto it = std::sregex_iterator(list.begin(), list.end(), item); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    if (!m[1].matched) {
      bytes += 4;
      continue;
    }
    const int first = std::stoi(m[2].str());
    const int last = m[3].matched ? std::stoi(m[3].str()) : first;
    bytes += (last - first + 1) * (m[1].str() == "d" ? 8 : 4);
  }
  return bytes;
}

}  // namespace

ObjectSymbols ParseObjectSymbols(std::string_view text) {
  ObjectSymbols out;
  const std::vector<std::string> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string> w = Words(lines[i]);
    // objdump -h: "  3 .text.name 00000274  00000000  00000000  00000034  2**1", flags on the next line.
    if (w.size() == 7 && IsHex(w[0]) && w[6].starts_with("2**") && IsHex(w[2])) {
      if (i + 1 < lines.size() && lines[i + 1].find("ALLOC") != std::string::npos)
        out.section_size[w[1]] = std::stoull(w[2], nullptr, 16);
      continue;
    }
    // objdump -t: "00000000 g     F .text.kiln_x	0000003e kiln_x" (flags are fixed-width columns).
    if (lines[i].size() < 18 || !IsHex(lines[i].substr(0, 8)) || lines[i][8] != ' ') continue;
    const std::string flags = lines[i].substr(9, 7);
    const std::vector<std::string> rest = Words(lines[i].substr(16));
    if (rest.size() < 3) continue;
    const std::string& section = rest[0];
    const std::string& name = rest.back();
    if (section == "*UND*") {
      out.undefined.insert(name);
      continue;
    }
    if (flags.find('d') != std::string::npos || flags.find('f') != std::string::npos) continue;
    out.section_of[name] = section;
    if (flags[0] == 'g' && flags.find('F') != std::string::npos) out.globals.insert(name);
  }
  return out;
}

std::map<std::string, std::set<std::string>> ParseRelocations(std::string_view text) {
  std::map<std::string, std::set<std::string>> refs;
  std::string section;
  static const std::regex heading(R"(RELOCATION RECORDS FOR \[(.*)\]:)");
  for (const std::string& line : Lines(text)) {
    std::smatch m;
    if (std::regex_search(line, m, heading)) {
      section = m[1].str();
      refs[section];
      continue;
    }
    const std::vector<std::string> w = Words(line);
    if (section.empty() || w.size() < 3 || !IsHex(w[0])) continue;
    std::string symbol = w[2];
    // "sym+0x4", "sym-0x8": the symbol is what is named.
    for (const char* sep : {"+0x", "-0x"})
      if (size_t p = symbol.rfind(sep); p != std::string::npos && p > 0) symbol = symbol.substr(0, p);
    if (symbol.starts_with(".L") || symbol == "*ABS*") continue;
    refs[section].insert(symbol);
  }
  return refs;
}

std::map<std::string, Frame> ParseCallgraphInfo(std::string_view ci) {
  // node: { title: "path.c:name" label: "name\npath.c:13:16\n80 bytes (static)" }
  static const std::regex node(R"re(node: \{ title: "([^"]*)" label: "[^"]*\\n(\d+) bytes \(([a-z,]+)\)")re");
  std::map<std::string, Frame> frames;
  for (const std::string& line : Lines(ci)) {
    std::smatch m;
    if (!std::regex_search(line, m, node)) continue;
    std::string name = m[1].str();
    if (size_t colon = name.rfind(':'); colon != std::string::npos) name = name.substr(colon + 1);
    const std::string kind = m[3].str();
    frames[name] = Frame{std::stoll(m[2].str()), kind == "static" || kind.find("bounded") != std::string::npos};
  }
  return frames;
}

std::map<std::string, MemberSymbols> ParseArchiveSymbols(std::string_view nm_A, const std::string& archive) {
  // "/path/libc.a:member.o:00000000 T expf" or "/path/libc.a:member.o:         U __addsf3".
  std::map<std::string, MemberSymbols> members;
  for (const std::string& line : Lines(nm_A)) {
    if (!line.starts_with(archive + ":")) continue;
    const size_t colon = line.find(':', archive.size() + 1);
    if (colon == std::string::npos) continue;
    const std::string member = line.substr(archive.size() + 1, colon - archive.size() - 1);
    const std::vector<std::string> w = Words(line.substr(colon + 1));
    if (w.size() < 2) continue;
    const std::string& type = w[w.size() - 2];
    const std::string& symbol = w.back();
    MemberSymbols& ms = members[archive + "(" + member + ")"];
    if (type == "U")
      ms.needs.insert(symbol);
    else if (type == "T" || type == "D" || type == "R" || type == "B" || type == "W" || type == "C")
      ms.defines.insert(symbol);
  }
  return members;
}

std::map<std::string, int64_t> ParsePrologueFrames(std::string_view disassembly) {
  static const std::regex function(R"(^[0-9a-f]+ <([^>]+)>:$)");
  static const std::regex arm_push(R"(\b(push|stmdb|vpush|vstmdb)(\.w)?\s+(sp!,\s*)?(\{[^}]*\}))");
  static const std::regex arm_sub(R"(\bsub(\.w|w)?\s+sp,\s*(sp,\s*)?#(\d+))");
  static const std::regex rv_addi(R"(\b(c\.)?addi?(16sp)?\s+sp,\s*(sp,\s*)?-(\d+))");
  std::map<std::string, int64_t> frames;
  std::string current;
  int instructions = 0;
  for (const std::string& line : Lines(disassembly)) {
    std::smatch m;
    if (std::regex_search(line, m, function)) {
      current = m[1].str();
      frames[current] = 0;
      instructions = 0;
      continue;
    }
    // The prologue is at the start: look at a function's first few instructions only.
    if (current.empty() || line.find(":\t") == std::string::npos || ++instructions > 12) continue;
    if (std::regex_search(line, m, arm_push))
      frames[current] += RegisterListBytes(m[4].str());
    else if (std::regex_search(line, m, arm_sub))
      frames[current] += std::stoll(m[3].str());
    else if (std::regex_search(line, m, rv_addi))
      frames[current] += std::stoll(m[4].str());
  }
  return frames;
}

std::vector<std::string> ParseArchiveMembers(std::string_view map) {
  std::vector<std::string> members;
  const size_t start = map.find("Archive member included to satisfy reference by file (symbol)");
  if (start == std::string_view::npos) return members;
  const size_t end = map.find("\n\n", map.find('\n', start) + 2);
  for (const std::string& line : Lines(map.substr(start, end == std::string_view::npos ? end : end - start))) {
    if (line.empty() || line[0] == ' ' || line.starts_with("Archive member")) continue;
    members.push_back(line.substr(0, line.find_last_not_of(" \t") + 1));
  }
  return members;
}

}  // namespace kiln::footprint
