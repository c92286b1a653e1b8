#include "device/boards.h"

namespace kiln {
namespace {

const std::vector<Board>& Boards() {
  static const std::vector<Board> kBoards = {
      {"qemu-cortex-m4",
       "Arm Cortex-M4F (DSP + FPU) on QEMU mps2-an386, UART0 link, TIMER0 timing",
       "arm-none-eabi-gcc",
       {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "--specs=picolibc.specs",
        "--oslib=semihost", "--crt0=semihost"},
       {"-Wl,--defsym=__flash=0x0,--defsym=__flash_size=0x400000,--defsym=__ram=0x20000000,"
        "--defsym=__ram_size=0x400000"},
       "mps2_an386.c",
       40,
       {"qemu-system-arm", "-M", "mps2-an386", "-cpu", "cortex-m4", "-display", "none", "-monitor", "none",
        "-serial", "stdio", "-semihosting-config", "enable=on,target=native", "-icount",
        "shift=0,align=off,sleep=off", "-kernel", "{elf}"}},
      {"qemu-rv32",
       "RISC-V rv32imac on QEMU virt, 16550 UART link, instret timing",
       "riscv64-unknown-elf-gcc",
       {"-march=rv32imac", "-mabi=ilp32", "--specs=picolibc.specs", "--oslib=semihost", "--crt0=semihost"},
       {"-Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x400000,--defsym=__ram=0x80400000,"
        "--defsym=__ram_size=0x400000"},
       "riscv_virt.c",
       1,
       {"qemu-system-riscv32", "-M", "virt", "-bios", "none", "-display", "none", "-monitor", "none", "-serial",
        "stdio", "-semihosting-config", "enable=on,target=native", "-icount", "shift=0,align=off,sleep=off",
        "-kernel", "{elf}"}},
  };
  return kBoards;
}

}  // namespace

std::span<const Board> AllBoards() { return Boards(); }

const Board* FindBoard(std::string_view name) {
  for (const Board& b : Boards()) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::string BoardNames() {
  std::string out;
  for (const Board& b : Boards()) out += (out.empty() ? "" : ", ") + std::string(b.name);
  return out;
}

}  // namespace kiln
