// Decoding the identification registers a device reports (CORE) into its
// core and ISA features, with the values QEMU 7.2's boards really report
// (read on mps2-an385, mps2-an386, mps2-an500 and virt), and the refusal of
// a build whose target has a feature the core lacks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "device/device_core.h"

namespace kiln {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;

rpc::DeviceCore Arm(uint32_t cpuid, uint32_t isar0, uint32_t isar3, uint32_t mvfr0, uint32_t mvfr1) {
  return {true, rpc::CoreArch::kArmM, {cpuid, isar0, isar3, mvfr0, mvfr1}};
}

TEST(DeviceCore, QemusCortexM3HasNeitherDspNorFpu) {
  const CoreReport r = DecodeCore(Arm(0x410fc231, 0x01141110, 0x01111110, 0, 0));
  EXPECT_EQ(r.name, "Arm Cortex-M3 r0p1");
  EXPECT_THAT(r.features, ElementsAre("sdiv"));
  EXPECT_THAT(r.registers, HasSubstr("CPUID=0x410fc231"));
}

TEST(DeviceCore, QemusCortexM4HasDspByItsPartNumberAndASinglePrecisionFpu) {
  // QEMU's M4 reports the M3's ID_ISAR3 (SIMD field 1): the part number
  // decides, as the architecture fixes DSP on the Cortex-M4.
  const CoreReport r = DecodeCore(Arm(0x410fc240, 0x01141110, 0x01111110, 0x10110021, 0x11000011));
  EXPECT_EQ(r.name, "Arm Cortex-M4 r0p0");
  EXPECT_THAT(r.features, ElementsAre("dsp", "fpu-sp", "sdiv"));
}

TEST(DeviceCore, CortexM7HasADoublePrecisionFpu) {
  const CoreReport r = DecodeCore(Arm(0x411fc272, 0x01101110, 0x01111131, 0x10110221, 0x12000011));
  EXPECT_EQ(r.name, "Arm Cortex-M7 r1p2");
  EXPECT_THAT(r.features, ElementsAre("dsp", "fpu-sp", "fpu-dp", "sdiv"));
}

TEST(DeviceCore, OnArmv8MDspIsReadFromIdIsar3AndMveFromMvfr1) {
  // A Cortex-M55 with DSP (SIMD field 3) and integer + float MVE (MVFR1 bits 11:8).
  const CoreReport with = DecodeCore(Arm(0x410fd220, 0x01101110, 0x01111131, 0x10110221, 0x12100211));
  EXPECT_EQ(with.name, "Arm Cortex-M55 r0p0");
  EXPECT_THAT(with.features, ElementsAre("dsp", "fpu-sp", "fpu-dp", "mve", "sdiv"));
  // A Cortex-M33 built without its optional DSP and FPU.
  const CoreReport without = DecodeCore(Arm(0x410fd210, 0x01101110, 0x01111110, 0, 0));
  EXPECT_THAT(without.features, ElementsAre("sdiv"));
}

TEST(DeviceCore, RiscVFeaturesAreMisasLetters) {
  // misa of QEMU's virt rv32: MXL 1 (32-bit), A C D F I M S U.
  const uint32_t misa = 0x40000000u | 1u << 0 | 1u << 2 | 1u << 3 | 1u << 5 | 1u << 8 | 1u << 12 | 1u << 18 | 1u << 20;
  const CoreReport r = DecodeCore({true, rpc::CoreArch::kRiscV, {misa, 0, 0, 0}});
  EXPECT_EQ(r.name, "RISC-V rv32imafdcsu");
  EXPECT_THAT(r.features, ElementsAre("rv32i", "m", "a", "f", "d", "c"));
}

TEST(DeviceCore, ABuildForADspTargetDoesNotFitTheCortexM3) {
  ModelInterface mi;
  mi.target = "cortex-m4";
  mi.target_features = {"dsp", "fpu-sp"};
  const CoreReport m3 = DecodeCore(Arm(0x410fc231, 0x01141110, 0x01111110, 0, 0));
  const Status s = CheckBuildFitsCore(mi, "the device's core (" + m3.name + ")", m3.features);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("compiled for --target cortex-m4"));
  EXPECT_THAT(s.message(), HasSubstr("the device's core (Arm Cortex-M3 r0p1) lacks the Arm DSP extension"));
  EXPECT_THAT(s.message(), HasSubstr("and a single-precision FPU"));

  const CoreReport m4 = DecodeCore(Arm(0x410fc240, 0x01141110, 0x01111110, 0x10110021, 0x11000011));
  EXPECT_TRUE(CheckBuildFitsCore(mi, m4.name, m4.features).ok());
  // Compiled without a target: the portable C fits any core.
  EXPECT_TRUE(CheckBuildFitsCore(ModelInterface{}, m3.name, m3.features).ok());
}

TEST(DeviceCore, UnknownArchitecturesAndShortReportsDecodeToAnUnknownCore) {
  EXPECT_EQ(DecodeCore({true, rpc::CoreArch::kUnknown, {}}).name, "unknown core");
  EXPECT_EQ(DecodeCore({true, rpc::CoreArch::kArmM, {1, 2}}).name, "unknown core");
  EXPECT_TRUE(DecodeCore({true, rpc::CoreArch::kRiscV, {}}).features.empty());
}

}  // namespace
}  // namespace kiln
