// libFuzzer target: arbitrary bytes as a TFLite model, through everything
// `kiln compile`, `kiln plan` and `kiln footprint` do with it: import,
// passes, kernel selection and schedules, planning, C generation, the MLF
// archive (written as tar bytes and read back), and the plan and footprint
// renderers. Bad models must only ever produce an error (fuzz_pipeline.h).
#include <cstddef>
#include <cstdint>

#include "frontend/tflite/tflite_importer.h"
#include "fuzz_pipeline.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kiln::fuzz::WarmSizeTables();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto graph = kiln::tflite::ImportTflite(std::span<const uint8_t>(data, size));
  if (!graph.ok()) return 0;
  // The options come from the model's bytes, so each input always
  // compiles the same way and a crash reproduces.
  uint8_t selector = 0;
  for (size_t i = 0; i < size; i += 97) selector = static_cast<uint8_t>(selector * 31 + data[i]);
  kiln::fuzz::CompileAndRender(*graph, selector);
  return 0;
}
