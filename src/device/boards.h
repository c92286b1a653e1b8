// The emulated boards Kiln can build for and run on: compiler, flags,
// platform hooks and the QEMU command line, for each. Facts behind them:
// ../shared/design/emulation.md and docs/emulation-notes.md.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiln {

struct Board {
  std::string_view name;         ///< "qemu-cortex-m4"
  std::string_view description;
  std::string_view cc;           ///< cross compiler
  std::vector<std::string> cflags;   ///< target + C library flags, for compile and link
  std::vector<std::string> ldflags;  ///< memory map
  std::string_view platform_file;    ///< runtime/platform/<file>: the protocol hooks
  int instructions_per_tick;         ///< of the board's timer under -icount shift=0
  std::vector<std::string> qemu;     ///< command; "{elf}" stands for the firmware
};

std::span<const Board> AllBoards();
const Board* FindBoard(std::string_view name);
/// "qemu-cortex-m4, qemu-rv32"
std::string BoardNames();

}  // namespace kiln
