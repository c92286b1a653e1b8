#include "device/run_profile.h"

#include <algorithm>

#include <fmt/format.h>

namespace kiln {

RunProfiler::RunProfiler(std::string run_function, std::string hook_function)
    : run_function_(std::move(run_function)),
      hook_function_(std::move(hook_function)),
      parser_({.executed = [this](const TranslatedBlock& block) { Executed(block); },
               .rewound = [this](uint64_t pc) { Rewound(pc); },
               .lost =
                   [this] {
                     previous_ = nullptr;
                     previous_block_ = nullptr;
                   }}) {}

ExecutionCounts* RunProfiler::Counts(int bucket) {
  switch (bucket) {
    case kOutside:
    case kBetween:
      return nullptr;
    case kHook:
      return &current_.hooks;
    default:
      if (current_.operators.size() <= static_cast<size_t>(bucket)) current_.operators.resize(bucket + 1);
      return &current_.operators[bucket];
  }
}

BlockProfile& RunProfiler::Block(const TranslatedBlock& block) {
  BlockProfile& b = current_.blocks[block.pc];
  if (b.runs == 0 && b.code.empty()) {
    b.symbol = block.symbol;
    for (const TracedInstruction& i : block.instructions)
      b.code.push_back(fmt::format("{:#010x}: {} {}", i.address, i.mnemonic, i.operands));
  }
  return b;
}

const BlockTiming& RunProfiler::Timing(const TranslatedBlock& block) {
  auto it = timings_.find(block.id);
  if (it == timings_.end()) it = timings_.emplace(block.id, TimeCortexM4Block(block.instructions)).first;
  return it->second;
}

void RunProfiler::Executed(const TranslatedBlock& block) {
  const BlockTiming& timing = Timing(block);
  // The block before this one paid the refill if its branch went elsewhere.
  const bool called = previous_ != nullptr && previous_->ends_in_call;
  if (previous_ != nullptr && previous_->ends_in_control_flow && block.pc != previous_->fallthrough &&
      previous_bucket_ != kOutside) {
    ++current_.total.taken_branches;
    if (ExecutionCounts* c = Counts(previous_bucket_)) ++c->taken_branches;
    if (previous_block_ != nullptr) ++Block(*previous_block_).counts.taken_branches;
  }
  const uint64_t return_address = previous_ != nullptr ? previous_->fallthrough : 0;

  if (in_run_ && block.pc == run_return_) {
    in_run_ = false;
    current_.complete = true;
    last_ = std::move(current_);
    ++completed_runs_;
    current_ = RunProfile();
  } else if (!in_run_ && called && block.symbol == run_function_) {
    in_run_ = true;
    run_return_ = return_address;
    in_hook_ = false;
    hook_calls_ = 0;
    current_ = RunProfile();
  }
  int bucket = kOutside;
  if (in_run_) {
    if (in_hook_ && block.pc == hook_return_) {
      in_hook_ = false;
    } else if (!in_hook_ && called && block.symbol == hook_function_) {
      in_hook_ = true;
      hook_return_ = return_address;
      ++hook_calls_;
    }
    // Hook calls 2k and 2k+1 (counting from 1: 2k+1 and 2k+2) bracket operator k.
    bucket = in_hook_ ? kHook : hook_calls_ % 2 == 1 ? static_cast<int>(hook_calls_ / 2) : kBetween;
    current_.total.instructions += timing.instructions;
    current_.total.cycles += timing.cycles;
    if (ExecutionCounts* c = Counts(bucket)) {
      c->instructions += timing.instructions;
      c->cycles += timing.cycles;
    }
    BlockProfile& b = Block(block);
    ++b.runs;
    b.counts.instructions += timing.instructions;
    b.counts.cycles += timing.cycles;
    if (bucket >= 0) {
      const auto at = std::lower_bound(b.operators.begin(), b.operators.end(), bucket);
      if (at == b.operators.end() || *at != bucket) b.operators.insert(at, bucket);
    }
  }
  previous_block_ = &block;
  previous_ = &timing;
  previous_bucket_ = bucket;
}

void RunProfiler::Rewound(uint64_t pc) {
  // The last block stopped before the instruction at `pc`: take back
  // what it was counted for from there on.
  if (previous_block_ == nullptr || previous_ == nullptr) return;
  const auto& instructions = previous_block_->instructions;
  size_t first = 0;
  while (first < instructions.size() && instructions[first].address != pc) ++first;
  if (first == instructions.size()) return;
  if (previous_bucket_ != kOutside) {
    uint64_t cycles = 0;
    for (size_t k = first; k < previous_->each.size(); ++k) cycles += previous_->each[k];
    const uint64_t count = instructions.size() - first;
    current_.total.instructions -= count;
    current_.total.cycles -= cycles;
    if (ExecutionCounts* c = Counts(previous_bucket_)) {
      c->instructions -= count;
      c->cycles -= cycles;
    }
    BlockProfile& b = Block(*previous_block_);
    b.counts.instructions -= count;
    b.counts.cycles -= cycles;
  }
  previous_ = nullptr;  // its last instruction did not run: no branch to settle
  previous_block_ = nullptr;
}

}  // namespace kiln
