// One inference's executed instructions and estimated Cortex-M4 cycles, per
// operator, read from QEMU's execution log of the firmware.
//
// The log holds everything the board runs, the device server's waits for
// the host included, so the profiler follows calls: the inference is the
// last call of the model's run function, from its entry to the return
// address of the BL that called it. Inside it, a firmware built with
// KILN_PROFILE calls the timer hook twice per operator, so the code between
// hook calls 2k and 2k+1 is operator k's; the hooks' own instructions are
// counted apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "device/cortex_m4_timing.h"
#include "device/qemu_exec_log.h"

namespace kiln {

struct ExecutionCounts {
  uint64_t instructions = 0;
  uint64_t cycles = 0;          ///< without pipeline refills
  uint64_t taken_branches = 0;  ///< each adds the refill P
  uint64_t Cycles(unsigned refill = kCortexM4RefillTypical) const { return cycles + taken_branches * refill; }
};

/// One translated block's share of a run: where a kernel's cycles go.
struct BlockProfile {
  std::string symbol;              ///< the function it is in ("" if unknown)
  std::vector<std::string> code;   ///< its instructions, "address: mnemonic operands"
  uint64_t runs = 0;
  ExecutionCounts counts;
  std::vector<int> operators;      ///< the operators it ran in, ascending (none: between operators)
};

struct RunProfile {
  bool complete = false;  ///< a call of the run function was seen from entry to return
  ExecutionCounts total;  ///< the whole call, the hooks included
  std::vector<ExecutionCounts> operators;  ///< empty for a firmware without KILN_PROFILE
  ExecutionCounts hooks;                   ///< the timer hook's own code
  std::unordered_map<uint64_t, BlockProfile> blocks;  ///< by the block's first address
};

class RunProfiler {
 public:
  /// `run_function` and `hook_function` are symbol names ("kiln_default_run", "kiln_platform_ticks").
  RunProfiler(std::string run_function, std::string hook_function);
  // The parser's callbacks point at this object: it stays where it is made.
  RunProfiler(const RunProfiler&) = delete;
  RunProfiler& operator=(const RunProfiler&) = delete;

  void Feed(std::string_view log_bytes) { parser_.Feed(log_bytes); }
  /// The last complete call of the run function.
  const RunProfile& last_run() const { return last_; }
  /// Calls of the run function seen from entry to return so far.
  uint64_t completed_runs() const { return completed_runs_; }
  uint64_t unparsed_lines() const { return parser_.unparsed_lines(); }

 private:
  /// Where an instruction's cycles go: outside the run, in a hook, between
  /// operators, or operator k (k >= 0).
  enum Bucket : int { kOutside = -3, kHook = -2, kBetween = -1 };

  void Executed(const TranslatedBlock& block);
  void Rewound(uint64_t pc);
  ExecutionCounts* Counts(int bucket);
  BlockProfile& Block(const TranslatedBlock& block);
  const BlockTiming& Timing(const TranslatedBlock& block);

  std::string run_function_;
  std::string hook_function_;
  QemuExecLogParser parser_;
  std::unordered_map<uint64_t, BlockTiming> timings_;  ///< by TranslatedBlock::id

  RunProfile current_;
  RunProfile last_;
  uint64_t completed_runs_ = 0;
  bool in_run_ = false;
  uint64_t run_return_ = 0;
  bool in_hook_ = false;
  uint64_t hook_return_ = 0;
  uint64_t hook_calls_ = 0;

  // The block run before this one, to settle whether its branch was taken.
  const TranslatedBlock* previous_block_ = nullptr;  ///< valid until the parser's next Trace line
  const BlockTiming* previous_ = nullptr;
  int previous_bucket_ = kOutside;
};

}  // namespace kiln
