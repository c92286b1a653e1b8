#include "cli/cycle_report.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "mlf/model_library.h"

namespace kiln::cli {
namespace {

double Milliseconds(uint64_t cycles, double clock_mhz) { return static_cast<double>(cycles) / (clock_mhz * 1000.0); }

/// The profiler tells operators apart by the order of their timer hooks,
/// which IF (a branch skipped) and WHILE (operators run again) change.
bool HasControlFlow(const nlohmann::json& metadata) {
  const auto ops = metadata.find("operators");
  if (ops == metadata.end() || !ops->is_array()) return false;
  for (size_t k = 0; k < ops->size(); ++k) {
    const std::string op = OperatorField(metadata, k, "op");
    if (op == "IF" || op == "WHILE") return true;
  }
  return false;
}

}  // namespace

void PrintCycleEstimate(const std::string& label, const RunProfile& profile, double clock_mhz) {
  const ExecutionCounts& t = profile.total;
  const uint64_t cycles = t.Cycles();
  fmt::print("{}: estimated Cortex-M4 cycles: {} (branch refill P={}; P={}..{}: {}..{}), {:.3f} ms at {:g} MHz, "
             "zero wait states (docs/cycle-estimate.md)\n",
             label, cycles, kCortexM4RefillTypical, kCortexM4RefillLow, kCortexM4RefillHigh,
             t.Cycles(kCortexM4RefillLow), t.Cycles(kCortexM4RefillHigh), Milliseconds(cycles, clock_mhz), clock_mhz);
}

void PrintOperatorCycles(const nlohmann::json& metadata, const RunProfile& profile, double clock_mhz) {
  if (HasControlFlow(metadata)) {
    fmt::print("per operator: not available for a model with IF or WHILE (its operators run zero or many times; "
               "the totals above are exact)\n");
    return;
  }
  fmt::print("per operator (instructions from QEMU's execution log; cycles estimated; ms at {:g} MHz):\n", clock_mhz);
  fmt::print("{:>4}  {:<22} {:<30} {:>12} {:>12} {:>9} {:>7}\n", "#", "operator", "kernel", "instructions",
             "cycles", "ms", "share");
  const uint64_t total = profile.total.Cycles();
  for (size_t k = 0; k < profile.operators.size(); ++k) {
    const ExecutionCounts& c = profile.operators[k];
    fmt::print("{:>4}  {:<22} {:<30} {:>12} {:>12} {:>9.3f} {:>6.1f}%\n", k, OperatorField(metadata, k, "op"),
               OperatorField(metadata, k, "kernel"), c.instructions, c.Cycles(), Milliseconds(c.Cycles(), clock_mhz),
               total > 0 ? 100.0 * static_cast<double>(c.Cycles()) / static_cast<double>(total) : 0.0);
  }
  uint64_t in_operators = 0;
  for (const ExecutionCounts& c : profile.operators) in_operators += c.Cycles();
  fmt::print("operators: {} of the run's {} cycles; the timer hooks took {} (not in a build without profiling)\n",
             in_operators, total, profile.hooks.Cycles());
}

void PrintHotBlocks(const nlohmann::json& metadata, const RunProfile& profile, size_t count) {
  std::vector<const BlockProfile*> blocks;
  for (const auto& [pc, block] : profile.blocks) blocks.push_back(&block);
  count = std::min(count, blocks.size());
  std::partial_sort(blocks.begin(), blocks.begin() + static_cast<std::ptrdiff_t>(count), blocks.end(),
                    [](const BlockProfile* a, const BlockProfile* b) { return a->counts.Cycles() > b->counts.Cycles(); });
  const uint64_t total = profile.total.Cycles();
  fmt::print("the {} blocks that took the most cycles:\n", count);
  const bool control_flow = HasControlFlow(metadata);
  for (size_t k = 0; k < count; ++k) {
    const BlockProfile& b = *blocks[k];
    // One kernel's code serves every layer that calls it.
    std::string op = "between operators";
    if (control_flow)
      op = "the run (operators not told apart with IF or WHILE)";
    else if (b.operators.size() == 1)
      op = fmt::format("operator {} ({})", b.operators[0],
                       OperatorField(metadata, static_cast<size_t>(b.operators[0]), "op"));
    else if (!b.operators.empty())
      op = fmt::format("{} operators ({})", b.operators.size(), fmt::join(b.operators, ", "));
    fmt::print("{:>3}. {} in {}: {} runs, {} instructions, {} cycles, {:.1f}%\n", k + 1,
               b.symbol.empty() ? "?" : b.symbol, op, b.runs, b.counts.instructions, b.counts.Cycles(),
               total > 0 ? 100.0 * static_cast<double>(b.counts.Cycles()) / static_cast<double>(total) : 0.0);
    for (const std::string& line : b.code) fmt::print("       {}\n", line);
  }
}

}  // namespace kiln::cli
