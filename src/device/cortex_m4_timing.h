// Cortex-M4 cycle counts of executed code, from Arm's Cortex-M4 Technical
// Reference Manual, table 3-1 (and the FPU's table 7-1), on a memory
// system with zero wait states and no cache. The model, its assumptions and
// its error are in docs/cycle-estimate.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "device/qemu_exec_log.h"

namespace kiln {

/// A block of straight-line code run from its first instruction to its last.
struct BlockTiming {
  uint32_t instructions = 0;
  uint32_t cycles = 0;             ///< without the pipeline refill of a taken branch at its end
  std::vector<uint16_t> each;      ///< cycles of each instruction (a rewound block undoes its tail)
  bool ends_in_control_flow = false;  ///< its last instruction may write the PC (adds P cycles when it does)
  bool ends_in_call = false;          ///< ... and is a BL or BLX
  uint64_t fallthrough = 0;        ///< the address after its last instruction
};

/// The pipeline refill P after a taken branch: 1-3 cycles on the Cortex-M4,
/// depending on the target's alignment and width and on branch speculation.
inline constexpr unsigned kCortexM4RefillLow = 1;
inline constexpr unsigned kCortexM4RefillTypical = 2;
inline constexpr unsigned kCortexM4RefillHigh = 3;

/// Cycles of each instruction of `block`, the first one assumed to follow
/// a branch (QEMU ends blocks at branches), so it pipelines with nothing.
BlockTiming TimeCortexM4Block(std::span<const TracedInstruction> block);

}  // namespace kiln
