#include "device/device_core.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "target/targets.h"

namespace kiln {
namespace {

uint32_t Field(uint32_t value, int low_bit) { return (value >> low_bit) & 0xFu; }

struct ArmPart {
  uint32_t part;
  const char* name;
  enum { kNoDsp, kDsp, kDspInIsar3 } dsp;
};

// CPUID part numbers (Arm's Technical Reference Manuals, "CPUID Base Register").
constexpr std::array<ArmPart, 10> kArmParts = {{
    {0xC20, "Cortex-M0", ArmPart::kNoDsp},
    {0xC60, "Cortex-M0+", ArmPart::kNoDsp},
    {0xC21, "Cortex-M1", ArmPart::kNoDsp},
    {0xC23, "Cortex-M3", ArmPart::kNoDsp},
    {0xC24, "Cortex-M4", ArmPart::kDsp},
    {0xC27, "Cortex-M7", ArmPart::kDsp},
    {0xD20, "Cortex-M23", ArmPart::kNoDsp},
    {0xD21, "Cortex-M33", ArmPart::kDspInIsar3},
    {0xD22, "Cortex-M55", ArmPart::kDspInIsar3},
    {0xD23, "Cortex-M85", ArmPart::kDspInIsar3},
}};

CoreReport DecodeArm(std::span<const uint32_t> ids) {
  CoreReport r;
  const uint32_t cpuid = ids[0], isar0 = ids[1], isar3 = ids[2], mvfr0 = ids[3], mvfr1 = ids[4];
  r.registers = fmt::format("CPUID=0x{:08x} ID_ISAR0=0x{:08x} ID_ISAR3=0x{:08x} MVFR0=0x{:08x} MVFR1=0x{:08x}", cpuid,
                            isar0, isar3, mvfr0, mvfr1);
  const uint32_t part = (cpuid >> 4) & 0xFFFu;
  const auto known = std::find_if(kArmParts.begin(), kArmParts.end(), [&](const ArmPart& p) { return p.part == part; });
  const std::string revision = fmt::format("r{}p{}", Field(cpuid, 20), Field(cpuid, 0));
  r.name = known != kArmParts.end() ? fmt::format("Arm {} {}", known->name, revision)
                                    : fmt::format("Arm M-profile part 0x{:03x} {}", part, revision);
  // ID_ISAR3.SIMD_instrs 0b0011: the Armv7E-M DSP instructions. QEMU
  // reports 0b0001 for its Cortex-M4, whose DSP is not optional: trust
  // the part number where the architecture fixes it.
  const bool dsp = known == kArmParts.end() || known->dsp == ArmPart::kDspInIsar3 ? Field(isar3, 4) >= 3
                                                                                   : known->dsp == ArmPart::kDsp;
  if (dsp) r.features.push_back("dsp");
  if (Field(mvfr0, 4) >= 1) r.features.push_back("fpu-sp");
  if (Field(mvfr0, 8) >= 1) r.features.push_back("fpu-dp");
  if (Field(mvfr1, 8) >= 1) r.features.push_back("mve");
  if (Field(isar0, 24) >= 1) r.features.push_back("sdiv");
  return r;
}

CoreReport DecodeRiscV(std::span<const uint32_t> ids) {
  CoreReport r;
  const uint32_t misa = ids[0];
  r.registers = fmt::format("misa=0x{:08x} mvendorid=0x{:08x} marchid=0x{:08x} mimpid=0x{:08x}", misa, ids[1], ids[2],
                            ids[3]);
  const uint32_t xlen = misa >> 30 == 1 ? 32 : misa >> 30 == 2 ? 64 : 0;
  auto has = [&](char letter) { return (misa >> (letter - 'a')) & 1u; };
  std::string isa = xlen ? fmt::format("rv{}", xlen) : "rv?";
  // Canonical order first (I/E, M, A, F, D, C), then any other letter.
  const std::string canonical = "iemafdc";
  for (char c : canonical)
    if (has(c)) isa += c;
  for (char c = 'a'; c <= 'z'; ++c)
    if (has(c) && canonical.find(c) == std::string::npos) isa += c;
  r.name = "RISC-V " + isa;
  if (xlen == 32 && has('i')) r.features.push_back("rv32i");
  for (char c : std::string("mafdc"))
    if (has(c)) r.features.push_back(std::string(1, c));
  return r;
}

}  // namespace

CoreReport DecodeCore(const rpc::DeviceCore& core) {
  if (core.arch == rpc::CoreArch::kArmM && core.ids.size() >= 5) return DecodeArm(core.ids);
  if (core.arch == rpc::CoreArch::kRiscV && core.ids.size() >= 4) return DecodeRiscV(core.ids);
  CoreReport r;
  r.name = "unknown core";
  return r;
}

std::string FeatureDescription(std::string_view feature) {
  static const std::array<std::pair<std::string_view, std::string_view>, 10> kNames = {{
      {"dsp", "the Arm DSP extension (SMLAD, SXTB16 ...)"},
      {"fpu-sp", "a single-precision FPU"},
      {"fpu-dp", "a double-precision FPU"},
      {"mve", "the M-profile Vector Extension (Helium)"},
      {"sdiv", "hardware divide (SDIV, UDIV)"},
      {"rv32i", "the RV32I base ISA"},
      {"m", "the RISC-V M extension (multiply, divide)"},
      {"a", "the RISC-V A extension (atomics)"},
      {"f", "the RISC-V F extension (single-precision float)"},
      {"c", "the RISC-V C extension (compressed instructions)"},
  }};
  for (const auto& [name, text] : kNames)
    if (name == feature) return std::string(text);
  return std::string(feature);
}

Status CheckBuildFitsCore(const ModelInterface& mi, std::string_view core_name,
                          std::span<const std::string> core_features) {
  std::vector<std::string> missing;
  for (const std::string& f : mi.target_features)
    if (std::find(core_features.begin(), core_features.end(), f) == core_features.end())
      missing.push_back(FeatureDescription(f));
  if (missing.empty()) return Status::Ok();
  return MakeError("the model was compiled for --target {}, which uses {}; {} lacks {}: compile it for the "
                   "device's processor instead",
                   mi.target, fmt::join(mi.target_features, ", "), core_name, fmt::join(missing, " and "));
}

Status CheckBuildFitsDevice(const ModelInterface& mi, const CoreReport& core) {
  return CheckBuildFitsCore(mi, "the device's core (" + core.name + ")", core.features);
}

Status CheckBoardRunsBuild(const ModelInterface& mi, const Board& board) {
  KILN_ASSIGN_OR_RETURN(const Target* target, FindTarget(board.target));
  return CheckBuildFitsCore(mi, fmt::format("board {} ({})", board.name, target->description), target->features);
}

Status CheckDeviceRunsBuild(rpc::DeviceClient& client, const ModelInterface& mi) {
  if (mi.target_features.empty()) return Status::Ok();
  KILN_ASSIGN_OR_RETURN(rpc::DeviceCore core, client.Core());
  if (!core.reported) return Status::Ok();
  return CheckBuildFitsDevice(mi, DecodeCore(core));
}

}  // namespace kiln
