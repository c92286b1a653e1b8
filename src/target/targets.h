// The processors Kiln compiles for (`--target`): how to compile C for each
// (cross compiler and architecture flags), which ISA features it has, and a
// realistic part's memory to judge a footprint against. A board
// (device/boards.h) is a target plus a C library, a memory map and an
// emulator; several boards may share a target.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"

namespace kiln {

struct Target {
  std::string name;         ///< "cortex-m4", "rv32imac"
  std::string description;
  std::string cc;           ///< cross compiler (a Debian package provides it)
  std::string cc_package;   ///< that package, for the error when it is missing
  std::string libc_package; ///< the C library firmware links (picolibc), its package
  /// Architecture and ABI flags only: what selects the instruction set and
  /// the multilib. Boards add their C library and memory map.
  std::vector<std::string> arch_cflags;
  /// ISA features the kernels may rely on: "dsp", "fpu-sp", "fpu-dp", "mve",
  /// "rv32i" (the RISC-V base ISA, 31 registers), "m" (multiply/divide), "a"
  /// (atomics), "c" (compressed), ...
  std::vector<std::string> features;
  /// Hardware single-precision float: without it float kernels call the
  /// compiler's soft-float routines.
  bool has_fpu = false;
  /// A typical part of this class, for footprint reports (bytes).
  int64_t typical_flash_bytes = 0;
  int64_t typical_ram_bytes = 0;

  bool has_feature(std::string_view feature) const;
};

/// Every known target, in a fixed order.
std::span<const Target> AllTargets();
/// The names of AllTargets(), for --target's list of choices.
std::vector<std::string> TargetNames();
/// The target `name`, or an error listing the known targets.
Expected<const Target*> FindTarget(std::string_view name);

}  // namespace kiln
