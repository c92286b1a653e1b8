// The emulated boards `kiln run --device` builds for and runs on: compiler,
// flags, platform hooks and the QEMU command line of each. They are the
// bundled board templates' board.json files (templates/qemu-*/), the same
// files those templates' Project API servers read, so a board is described
// once. Facts behind them: ../shared/design/emulation.md and
// docs/emulation-notes.md.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"

namespace kiln {

struct Board {
  std::string name;         ///< "qemu-cortex-m4": the template folder's name
  std::string description;
  std::string target;       ///< its processor (target/targets.h)
  std::string cc;           ///< cross compiler
  std::vector<std::string> cflags;   ///< target + C library flags, for compile and link
  std::vector<std::string> ldflags;  ///< memory map
  int64_t flash_bytes = 0;           ///< its flash: the memory map's __flash_size
  std::string platform_file;         ///< runtime/platform/<file>: the protocol hooks
  int instructions_per_tick = 0;     ///< of the board's timer under -icount shift=0
  /// "cortex-m4" where Kiln estimates cycles from QEMU's execution log
  /// (device/cortex_m4_timing.h); empty where it has no timing model.
  std::string cycle_model;
  std::vector<std::string> qemu;     ///< QEMU binary and its arguments, without -kernel
  std::string qemu_package;          ///< the Debian package of that binary
};

/// What a build for `board` defaults to: its processor when `target` is
/// empty, and, when `flash_budget` is 0, the smaller of the board's flash
/// and the processor's typical part (schedules that add constants must
/// leave a firmware that links on the board, and measure what a real part
/// would run).
void UseBoardDefaults(const Board& board, std::string& target, int64_t& flash_budget);

/// Every bundled template that describes a board, by name.
std::span<const Board> AllBoards();
/// The board `name`, or an error listing the known boards.
Expected<const Board*> FindBoard(std::string_view name);

}  // namespace kiln
