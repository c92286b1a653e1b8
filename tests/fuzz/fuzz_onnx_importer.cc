// libFuzzer target: arbitrary bytes through the ONNX importer (protobuf
// parsing, initializers, shape inference, constant folding, the layout
// passes), kernel selection and checks, and C generation. Any crash,
// sanitizer report or hang is a bug: bad models must only produce errors.
#include <cstddef>
#include <cstdint>

#include "codegen/generate_c.h"
#include "frontend/onnx/onnx_importer.h"
#include "kernels/select_kernels.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto graph = kiln::onnx_import::ImportOnnx(std::span<const uint8_t>(data, size), {});
  if (!graph.ok()) return 0;
  auto kernels = kiln::SelectKernels(*graph);
  if (!kernels.ok()) return 0;
  auto code = kiln::GenerateC(*graph, *kernels, kiln::CodegenOptions{});
  (void)code;
  return 0;
}
