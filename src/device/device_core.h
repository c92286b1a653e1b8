// Which core a device has and which ISA features, decoded from the
// identification registers its firmware reports (the device protocol's
// CORE), in the feature names the targets use (target/targets.h); and the
// check that refuses a build needing a feature the core lacks
// (docs/isa-features.md).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "device/boards.h"
#include "mlf/model_library.h"
#include "rpc/device_client.h"
#include "support/status.h"

namespace kiln {

struct CoreReport {
  std::string name;                   ///< "Arm Cortex-M4 r0p0", "RISC-V rv32imac"
  std::vector<std::string> features;  ///< "dsp", "fpu-sp", "sdiv" ...; "rv32i", "m", "a", "c" ...
  std::string registers;              ///< "CPUID=0x410fc240 ID_ISAR0=0x01141110 ..."
};

/// Decodes CORE's registers. Arm: the part number in CPUID names the core;
/// DSP is architectural on Cortex-M4 and M7, absent on M0/M0+/M1/M3/M23,
/// and ID_ISAR3's SIMD field on Armv8-M Mainline cores (optional there);
/// MVFR0 gives the single- and double-precision FPU, MVFR1 MVE, ID_ISAR0
/// the hardware divide. RISC-V: misa's base width and extension letters.
CoreReport DecodeCore(const rpc::DeviceCore& core);

/// What a feature name means to a user: "dsp" -> "the Arm DSP extension".
std::string FeatureDescription(std::string_view feature);

/// Refuses, naming each missing feature, a model compiled for a target
/// whose features `core_name` (with `core_features`) does not all have.
/// Models compiled without a target fit any core.
Status CheckBuildFitsCore(const ModelInterface& mi, std::string_view core_name,
                          std::span<const std::string> core_features);

/// CheckBuildFitsCore against what a device reported.
Status CheckBuildFitsDevice(const ModelInterface& mi, const CoreReport& core);

/// The same, before anything is built, against the board's processor: a
/// model compiled for cortex-m4 does not go to the Cortex-M3 board.
Status CheckBoardRunsBuild(const ModelInterface& mi, const Board& board);

/// Asks the device for its core (CORE) and applies CheckBuildFitsCore;
/// firmware that does not report its core passes.
Status CheckDeviceRunsBuild(rpc::DeviceClient& client, const ModelInterface& mi);

}  // namespace kiln
