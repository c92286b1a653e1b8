// NumPy's .npy file format (version 1.0 to write; 1.0, 2.0 and 3.0 to
// read): `kiln debug --dump` writes every tensor as one, and `--against`
// reads a user's own. Only C-order arrays of Kiln's dtypes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/dtype.h"
#include "support/status.h"

namespace kiln {

struct NpyArray {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;  ///< little-endian, row-major
};

/// The .npy file of a tensor: `data` holds shape's elements of dtype.
std::string EncodeNpy(DType dtype, std::span<const int32_t> shape, std::span<const uint8_t> data);

/// Parses a .npy file. Refuses (naming what) Fortran order, big-endian or
/// other dtypes, a malformed header and data that does not match the shape.
Expected<NpyArray> DecodeNpy(std::string_view file);

}  // namespace kiln
