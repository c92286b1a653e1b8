// How far one tensor's bytes are from another's, element by element:
// what `kiln debug` prints for every operator output.
#pragma once

#include <cstdint>
#include <span>

#include "ir/dtype.h"

namespace kiln {

struct TensorDiff {
  int64_t elements = 0;
  int64_t differing = 0;    ///< elements further apart than the tolerance
  double max_abs_diff = 0;  ///< in the stored type's units (quantized steps for int8); inf for NaN against a number
  int64_t first_differing = -1;  ///< flat index, -1 when none differ
};

/// Compares `actual` with `expected`, both holding the same number of
/// elements of `dtype`. Integers differ when not equal; float32 elements
/// when |a - b| > float_tolerance (two NaNs are equal).
TensorDiff CompareTensors(DType dtype, std::span<const uint8_t> actual, std::span<const uint8_t> expected,
                          double float_tolerance = 0);

}  // namespace kiln
