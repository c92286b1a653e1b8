// libFuzzer target: arbitrary bytes as a .npy file, as `kiln debug
// --against DIR` reads a user's reference tensors: decoded, compared with
// themselves (no element may differ), and written back, which must decode
// to the same array.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "debug/tensor_diff.h"
#include "support/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto array = kiln::DecodeNpy(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!array.ok()) return 0;
  const kiln::TensorDiff self = kiln::CompareTensors(array->dtype, array->data, array->data);
  if (self.differing != 0) std::abort();
  std::vector<int32_t> shape;
  for (int64_t d : array->shape) {
    if (d > INT32_MAX) return 0;  // Kiln's shapes are 32-bit; such an array never matches a tensor
    shape.push_back(static_cast<int32_t>(d));
  }
  auto again = kiln::DecodeNpy(kiln::EncodeNpy(array->dtype, shape, array->data));
  if (!again.ok() || again->dtype != array->dtype || again->shape != array->shape || again->data != array->data)
    std::abort();
  return 0;
}
