#include "device/cortex_m4_timing.h"

#include <array>
#include <string>

namespace kiln {
namespace {

enum class Kind {
  kAlu,          ///< data processing, shifts, multiplies, DSP, saturation, FPU arithmetic: 1
  kLoad,         ///< LDR/LDRB/LDRH/LDRSB/LDRSH/VLDR: 2, 1 when it pipelines after a load
  kStore,        ///< STR/STRB/STRH: 1 (the write buffer)
  kFloatStore,   ///< VSTR: 2
  kPair,         ///< LDRD/STRD: 3
  kMultiple,     ///< LDM/STM/PUSH/POP and their FPU forms: 1 + N
  kDivide,       ///< SDIV/UDIV: 2-12 by early termination
  kFloatMac,     ///< VMLA/VMLS/VFMA ...: 3
  kFloatLong,    ///< VDIV/VSQRT: 14
  kBranch,       ///< B/BL/BX/BLX, B<cond>, CBZ/CBNZ: 1, + P when taken
  kTableBranch,  ///< TBB/TBH: 2 + P
  kIfThen,       ///< IT: 1 (it may fold into the instruction before; the model does not count on it)
};

/// SDIV/UDIV take 2-12 cycles depending on the operands; the middle.
constexpr uint16_t kDivideCycles = 7;

struct Entry {
  std::string_view mnemonic;
  Kind kind;
};

// Everything not listed is one cycle (Kind::kAlu).
constexpr std::array kTable = {
    Entry{"ldr", Kind::kLoad},        Entry{"ldrb", Kind::kLoad},       Entry{"ldrh", Kind::kLoad},
    Entry{"ldrsb", Kind::kLoad},      Entry{"ldrsh", Kind::kLoad},      Entry{"ldrex", Kind::kLoad},
    Entry{"ldrt", Kind::kLoad},       Entry{"vldr", Kind::kLoad},       Entry{"str", Kind::kStore},
    Entry{"strb", Kind::kStore},      Entry{"strh", Kind::kStore},      Entry{"strex", Kind::kStore},
    Entry{"strt", Kind::kStore},      Entry{"vstr", Kind::kFloatStore}, Entry{"ldrd", Kind::kPair},
    Entry{"strd", Kind::kPair},       Entry{"ldm", Kind::kMultiple},    Entry{"ldmia", Kind::kMultiple},
    Entry{"ldmdb", Kind::kMultiple},  Entry{"ldmfd", Kind::kMultiple},  Entry{"stm", Kind::kMultiple},
    Entry{"stmia", Kind::kMultiple},  Entry{"stmdb", Kind::kMultiple},  Entry{"stmfd", Kind::kMultiple},
    Entry{"push", Kind::kMultiple},   Entry{"pop", Kind::kMultiple},    Entry{"vldm", Kind::kMultiple},
    Entry{"vldmia", Kind::kMultiple}, Entry{"vldmdb", Kind::kMultiple}, Entry{"vstm", Kind::kMultiple},
    Entry{"vstmia", Kind::kMultiple}, Entry{"vstmdb", Kind::kMultiple}, Entry{"vpush", Kind::kMultiple},
    Entry{"vpop", Kind::kMultiple},   Entry{"sdiv", Kind::kDivide},     Entry{"udiv", Kind::kDivide},
    Entry{"vmla", Kind::kFloatMac},   Entry{"vmls", Kind::kFloatMac},   Entry{"vnmla", Kind::kFloatMac},
    Entry{"vnmls", Kind::kFloatMac},  Entry{"vfma", Kind::kFloatMac},   Entry{"vfms", Kind::kFloatMac},
    Entry{"vfnma", Kind::kFloatMac},  Entry{"vfnms", Kind::kFloatMac},  Entry{"vdiv", Kind::kFloatLong},
    Entry{"vsqrt", Kind::kFloatLong}, Entry{"b", Kind::kBranch},        Entry{"bl", Kind::kBranch},
    Entry{"blx", Kind::kBranch},      Entry{"bx", Kind::kBranch},       Entry{"cbz", Kind::kBranch},
    Entry{"cbnz", Kind::kBranch},     Entry{"tbb", Kind::kTableBranch}, Entry{"tbh", Kind::kTableBranch},
    Entry{"it", Kind::kIfThen},       Entry{"itt", Kind::kIfThen},      Entry{"ite", Kind::kIfThen},
    Entry{"ittt", Kind::kIfThen},     Entry{"itte", Kind::kIfThen},     Entry{"itet", Kind::kIfThen},
    Entry{"itee", Kind::kIfThen},     Entry{"itttt", Kind::kIfThen},    Entry{"ittte", Kind::kIfThen},
    Entry{"ittet", Kind::kIfThen},    Entry{"ittee", Kind::kIfThen},    Entry{"itett", Kind::kIfThen},
    Entry{"itete", Kind::kIfThen},    Entry{"iteet", Kind::kIfThen},    Entry{"iteee", Kind::kIfThen},
    // Not in the table would be ALU anyway; listed so that the suffix
    // stripping below does not read them as a shorter mnemonic.
    Entry{"mls", Kind::kAlu},         Entry{"bic", Kind::kAlu},         Entry{"teq", Kind::kAlu},
};

constexpr std::array<std::string_view, 16> kConditions = {"eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl",
                                                          "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le"};

const Entry* Find(std::string_view mnemonic) {
  for (const Entry& e : kTable)
    if (e.mnemonic == mnemonic) return &e;
  return nullptr;
}

/// The mnemonic without its width or data-type qualifiers (".w", ".f32").
std::string_view Stem(std::string_view mnemonic) { return mnemonic.substr(0, mnemonic.find('.')); }

struct Decoded {
  Kind kind = Kind::kAlu;
  std::string_view stem;  ///< as found in the table: no condition, no flag-setting "s"
};

Decoded Decode(std::string_view mnemonic) {
  const std::string_view stem = Stem(mnemonic);
  if (const Entry* e = Find(stem)) return {e->kind, e->mnemonic};
  // Inside an IT block capstone writes the condition after the mnemonic
  // ("movle", "bxne", "ldrbeq"); flag-setting forms end in "s" ("lsls").
  if (stem.size() > 2)
    for (std::string_view c : kConditions)
      if (stem.ends_with(c)) {
        const std::string_view base = stem.substr(0, stem.size() - 2);
        if (const Entry* e = Find(base)) return {e->kind, e->mnemonic};
        if (base.ends_with('s'))
          if (const Entry* e = Find(base.substr(0, base.size() - 1))) return {e->kind, e->mnemonic};
      }
  if (stem.ends_with('s'))
    if (const Entry* e = Find(stem.substr(0, stem.size() - 1))) return {e->kind, e->mnemonic};
  return {Kind::kAlu, stem};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view FirstOperand(std::string_view operands) { return Trim(operands.substr(0, operands.find(','))); }

/// Registers in a register list, "{r4, r5, lr}" or "{d8-d15}", in words.
uint16_t RegisterListWords(std::string_view operands) {
  const size_t open = operands.find('{');
  const size_t close = operands.find('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return 1;
  std::string_view list = operands.substr(open + 1, close - open - 1);
  uint16_t words = 0;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    const uint16_t per_register = item.starts_with('d') ? 2 : 1;
    const size_t dash = item.find('-');
    if (dash != std::string_view::npos) {
      // "d8-d15": both ends are the same kind of register.
      const int first = std::atoi(std::string(item.substr(1, dash - 1)).c_str());
      const int last = std::atoi(std::string(item.substr(dash + 2)).c_str());
      words += static_cast<uint16_t>((last >= first ? last - first + 1 : 1) * per_register);
    } else if (!item.empty()) {
      words += per_register;
    }
  }
  return words > 0 ? words : 1;
}

bool ListsPc(std::string_view operands) {
  const size_t open = operands.find('{');
  return open != std::string_view::npos && operands.find("pc", open) != std::string_view::npos;
}

/// Whether `reg` is one of the registers inside the address brackets.
bool AddressUses(std::string_view operands, std::string_view reg) {
  const size_t open = operands.find('[');
  const size_t close = operands.find(']');
  if (reg.empty() || open == std::string_view::npos || close == std::string_view::npos || close < open) return false;
  std::string_view address = operands.substr(open + 1, close - open - 1);
  while (!address.empty()) {
    const size_t comma = address.find(',');
    if (Trim(address.substr(0, comma)) == reg) return true;
    if (comma == std::string_view::npos) break;
    address.remove_prefix(comma + 1);
  }
  return false;
}

/// The register an instruction writes, when it writes one register that a
/// following load could use as an address ("" when none or unknown).
std::string_view Destination(const Decoded& d, const TracedInstruction& insn) {
  if (d.kind != Kind::kAlu && d.kind != Kind::kLoad) return {};
  static constexpr std::array<std::string_view, 8> kNoDestination = {"cmp", "cmn", "tst", "teq",
                                                                     "nop", "vcmp", "vcmpe", "msr"};
  for (std::string_view s : kNoDestination)
    if (d.stem == s) return {};
  return FirstOperand(insn.operands);
}

}  // namespace

BlockTiming TimeCortexM4Block(std::span<const TracedInstruction> block) {
  BlockTiming t;
  t.each.reserve(block.size());
  bool previous_is_load = false;
  std::string_view previous_destination;
  for (const TracedInstruction& insn : block) {
    const Decoded d = Decode(insn.mnemonic);
    uint16_t cycles = 1;
    bool writes_pc = false;
    switch (d.kind) {
      case Kind::kAlu:
        writes_pc = FirstOperand(insn.operands) == "pc";
        break;
      case Kind::kLoad: {
        const bool dependent = AddressUses(insn.operands, previous_destination);
        // Neighbouring independent loads pipeline their address and data
        // phases; an address just computed stalls one cycle.
        cycles = previous_is_load && !dependent ? 1 : 2;
        if (dependent) cycles += 1;
        writes_pc = FirstOperand(insn.operands) == "pc";
        break;
      }
      case Kind::kStore:
        cycles = 1;
        break;
      case Kind::kFloatStore:
        cycles = 2;
        break;
      case Kind::kPair:
        cycles = 3;
        break;
      case Kind::kMultiple:
        cycles = static_cast<uint16_t>(1 + RegisterListWords(insn.operands));
        writes_pc = (d.stem.starts_with("pop") || d.stem.starts_with("ldm")) && ListsPc(insn.operands);
        break;
      case Kind::kDivide:
        cycles = kDivideCycles;
        break;
      case Kind::kFloatMac:
        cycles = 3;
        break;
      case Kind::kFloatLong:
        cycles = 14;
        break;
      case Kind::kBranch:
        cycles = 1;
        writes_pc = true;
        break;
      case Kind::kTableBranch:
        cycles = 2;
        writes_pc = true;
        break;
      case Kind::kIfThen:
        cycles = 1;
        break;
    }
    t.each.push_back(cycles);
    t.cycles += cycles;
    ++t.instructions;
    t.ends_in_control_flow = writes_pc;
    t.ends_in_call = d.kind == Kind::kBranch && (d.stem == "bl" || d.stem == "blx");
    t.fallthrough = insn.address + insn.size;
    previous_is_load = d.kind == Kind::kLoad && !writes_pc;
    previous_destination = Destination(d, insn);
  }
  return t;
}

}  // namespace kiln
