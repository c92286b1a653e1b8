// libFuzzer target: arbitrary bytes as an ONNX model, through everything
// `kiln compile`, `kiln plan` and `kiln footprint` do with it: protobuf
// parsing, initializers, shape inference, constant folding, the layout
// passes, kernel selection and schedules, planning, C generation, the MLF
// archive and the renderers. Bad models must only ever produce an error
// (fuzz_pipeline.h).
#include <cstddef>
#include <cstdint>

#include "frontend/onnx/onnx_importer.h"
#include "fuzz_pipeline.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kiln::fuzz::WarmSizeTables();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto graph = kiln::onnx_import::ImportOnnx(std::span<const uint8_t>(data, size), {});
  if (!graph.ok()) return 0;
  uint8_t selector = 0;
  for (size_t i = 0; i < size; i += 97) selector = static_cast<uint8_t>(selector * 31 + data[i]);
  kiln::fuzz::CompileAndRender(*graph, selector);
  return 0;
}
