// libFuzzer target: arbitrary bytes as a graph executor blob, as a device
// receives one over the air: kiln_graph_check (runtime/kernels/
// graph_executor.c, compiled into this target) must refuse what is not a
// whole, consistent blob for this firmware; what it accepts is reset and
// run, each call reading every one of its values. Each input is tried as
// it is and again with its CRC made right, so that the checks behind the
// CRC (a crafted blob's) are fuzzed too, not only the CRC.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "fake_graph_firmware.h"
#include "kiln/kernels/graph_executor.h"
#include "kiln/runtime.h"
#include "support/crc32.h"

namespace {

using namespace kiln::fuzz;

alignas(16) uint8_t g_blob[1 << 17];
alignas(16) uint8_t g_pool0[kFakePoolCapacities[0]];
alignas(16) uint8_t g_pool1[kFakePoolCapacities[1]];
uint8_t g_input[kFakeInputBytes];
uint8_t g_output[kFakeOutputBytes];

/// Reads every value as its class; pointers must be inside what they name.
int32_t ReadAll(const kiln_graph_call_t* c) {
  for (uint32_t k = 0; k < c->value_count; ++k) {
    volatile int64_t i = kiln_graph_int(c, k);
    volatile float f = kiln_graph_f32(c, k);
    volatile double d = kiln_graph_f64(c, k);
    volatile void* p = kiln_graph_ptr(c, k);
    (void)i, (void)f, (void)d, (void)p;
  }
  return KILN_OK;
}

const kiln_graph_kernel_t kKernels[] = {{kFakeCalls[0].hash, kFakeCalls[0].classes, ReadAll},
                                         {kFakeCalls[1].hash, kFakeCalls[1].classes, ReadAll},
                                         {kFakeCalls[2].hash, kFakeCalls[2].classes, ReadAll}};
uint8_t* const kPools[] = {g_pool0, g_pool1};
const uint32_t kInputBytes[] = {kFakeInputBytes};
const uint32_t kOutputBytes[] = {kFakeOutputBytes};
const kiln_graph_firmware_t kFirmware = {kKernels, 3, kPools, kFakePoolCapacities, 2, kInputBytes, 1, kOutputBytes, 1};

void CheckAndRun(size_t size) {
  if (kiln_graph_check(g_blob, static_cast<uint32_t>(size), &kFirmware) != KILN_OK) return;
  kiln_graph_reset(g_blob, &kFirmware);
  const void* inputs[] = {g_input};
  void* outputs[] = {g_output};
  uint64_t ticks[64];
  if (kiln_graph_run(g_blob, &kFirmware, inputs, outputs, kiln_graph_operator_count(g_blob) <= 64 ? ticks : nullptr) !=
      KILN_OK)
    std::abort();  // ReadAll never fails
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > sizeof g_blob) return 0;
  std::memcpy(g_blob, data, size);
  CheckAndRun(size);
  if (size >= 20) {  // resealed: the CRC of what follows it, over the size the header states when it fits
    uint32_t total = 0;
    std::memcpy(&total, g_blob + 12, 4);
    const size_t covered = total >= 20 && total <= size ? total : size;
    const uint32_t crc = kiln::Crc32(std::span<const uint8_t>(g_blob + 20, covered - 20));
    std::memcpy(g_blob + 16, &crc, 4);
    CheckAndRun(size);
  }
  return 0;
}
