#include "target/targets.h"

#include <algorithm>

namespace kiln {
namespace {

// Flags follow ../shared/design/emulation.md; features are what GCC
// defines for the flags (__ARM_FEATURE_DSP, __ARM_FP, __riscv_m, ...).
const std::vector<Target>& Table() {
  static const std::vector<Target> targets = {
      {"cortex-m0", "Arm Cortex-M0/M0+ (Armv6-M, no FPU, no DSP)", "arm-none-eabi-gcc", "gcc-arm-none-eabi", "picolibc-arm-none-eabi",
       {"-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"}, {}, false, 256 * 1024, 32 * 1024},
      {"cortex-m3", "Arm Cortex-M3 (Armv7-M, no FPU)", "arm-none-eabi-gcc", "gcc-arm-none-eabi", "picolibc-arm-none-eabi",
       {"-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"}, {}, false, 512 * 1024, 64 * 1024},
      {"cortex-m4", "Arm Cortex-M4F (Armv7E-M, DSP, single-precision FPU)", "arm-none-eabi-gcc",
       "gcc-arm-none-eabi", "picolibc-arm-none-eabi", {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"},
       {"dsp", "fpu-sp"}, true, 1024 * 1024, 320 * 1024},
      {"cortex-m7", "Arm Cortex-M7 (Armv7E-M, DSP, double-precision FPU)", "arm-none-eabi-gcc",
       "gcc-arm-none-eabi", "picolibc-arm-none-eabi", {"-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-d16"},
       {"dsp", "fpu-sp", "fpu-dp"}, true, 2048 * 1024, 512 * 1024},
      {"cortex-m33", "Arm Cortex-M33 (Armv8-M Mainline, DSP, single-precision FPU)", "arm-none-eabi-gcc",
       "gcc-arm-none-eabi", "picolibc-arm-none-eabi", {"-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"},
       {"dsp", "fpu-sp"}, true, 1024 * 1024, 256 * 1024},
      {"cortex-m55", "Arm Cortex-M55 (Armv8.1-M, Helium MVE, FPU)", "arm-none-eabi-gcc", "gcc-arm-none-eabi", "picolibc-arm-none-eabi",
       {"-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard"}, {"dsp", "fpu-sp", "fpu-dp", "mve"}, true,
       2048 * 1024, 512 * 1024},
      {"rv32imac", "RISC-V RV32IMAC (no FPU)", "riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf", "picolibc-riscv64-unknown-elf",
       {"-march=rv32imac", "-mabi=ilp32"}, {"rv32i", "m", "a", "c"}, false, 512 * 1024, 128 * 1024},
      {"rv32imafc", "RISC-V RV32IMAFC (single-precision FPU)", "riscv64-unknown-elf-gcc",
       "gcc-riscv64-unknown-elf", "picolibc-riscv64-unknown-elf", {"-march=rv32imafc", "-mabi=ilp32f"}, {"rv32i", "m", "a", "f", "c"}, true, 512 * 1024,
       128 * 1024},
  };
  return targets;
}

}  // namespace

bool Target::has_feature(std::string_view feature) const {
  return std::find(features.begin(), features.end(), feature) != features.end();
}

std::span<const Target> AllTargets() { return Table(); }

std::vector<std::string> TargetNames() {
  std::vector<std::string> names;
  for (const Target& t : Table()) names.push_back(t.name);
  return names;
}

Expected<const Target*> FindTarget(std::string_view name) {
  for (const Target& t : Table())
    if (t.name == name) return &t;
  std::string known;
  for (const Target& t : Table()) known += (known.empty() ? "" : ", ") + t.name;
  return MakeError("unknown target '{}'; the targets are: {}", name, known);
}

}  // namespace kiln
