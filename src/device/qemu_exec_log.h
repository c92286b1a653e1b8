// Reading QEMU's execution log (`-d in_asm,exec,nochain`) as it streams:
// each translated block's guest instructions, disassembled by QEMU when it
// translates the block ("IN:" paragraphs), then one "Trace" line each time
// a block runs. With `nochain` every run of every block is logged, so the
// log is a complete record of which instructions executed, in order.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kiln {

struct TracedInstruction {
  uint64_t address = 0;
  uint8_t size = 0;      ///< bytes
  std::string mnemonic;  ///< "ldr.w", "smlad", "bne"
  std::string operands;  ///< "r3, [r2, #0xd88]"
};

/// One translated block: straight-line guest code QEMU runs as a unit.
struct TranslatedBlock {
  uint64_t pc = 0;
  std::string symbol;  ///< the function QEMU's symbol lookup names ("" if none)
  std::vector<TracedInstruction> instructions;
  uint64_t id = 0;  ///< unique in the log, for consumers that keep facts per block
};

/// Feeds on the log's bytes in chunks of any size and reports each block
/// run. A block is identified by its host code address in the Trace line,
/// which it keeps until QEMU flushes its translation cache; a flush makes
/// QEMU translate again, and the new "IN:" paragraph replaces the entry.
class QemuExecLogParser {
 public:
  struct Events {
    std::function<void(const TranslatedBlock& block)> executed;
    /// The block last logged ran only the instructions before `pc`:
    /// QEMU stopped it there (an I/O access under -icount, run again as a
    /// new block), or at its start (`pc` its first address: the -icount
    /// budget ran out; a block is logged before it checks the budget).
    std::function<void(uint64_t pc)> rewound;
    /// A block ran whose instructions the log does not hold (its "IN:"
    /// paragraph was lost): what ran before it is no longer known.
    std::function<void()> lost;
  };
  explicit QemuExecLogParser(Events events) : events_(std::move(events)) {}

  void Feed(std::string_view bytes);
  /// Lines that did not parse (kept for diagnostics; the log has other
  /// items, such as guest errors, that are not ours to read).
  uint64_t unparsed_lines() const { return unparsed_lines_; }

 private:
  void Line(std::string_view line);

  Events events_;
  std::string partial_;  ///< an unfinished line from the previous chunk
  std::unique_ptr<TranslatedBlock> translating_;   ///< the "IN:" paragraph being read
  std::unique_ptr<TranslatedBlock> translated_;    ///< read, waiting for its first Trace line
  std::unordered_map<uint64_t, std::unique_ptr<TranslatedBlock>> blocks_;  ///< by host code address
  uint64_t unparsed_lines_ = 0;
  uint64_t next_id_ = 0;
};

/// One disassembled line of an "IN:" paragraph ("0x00001ca4:  b0a5  sub sp, #0x94"),
/// or false when it is not one.
bool ParseTracedInstruction(std::string_view line, TracedInstruction& out);

}  // namespace kiln
