// Declared access patterns: how an operator walks an input while it writes
// its output. A kernel's lowering declares them; from the same declaration
// the planner learns how far the output may overlap the input, and the
// verifier checks that the plan keeps that distance. This is how Kiln goes
// below the layer-wise bound (input and output of an operator both whole).
#pragma once

#include <cstdint>

namespace kiln {

/// The output is written front to back in `units` units of
/// `output_unit_bytes` (an output row, or one element). While unit u is
/// being written the operator may still read input bytes from
/// `InputNeededFrom(u)` on, never the ones before: those are consumed.
///
/// Units come in groups (a batch): unit u is step s = u % units_per_group of
/// group g = u / units_per_group, and
///   InputNeededFrom(u) = clamp(g * group_input_bytes
///                              + max(0, s * input_step_bytes - input_lag_bytes), 0, input_bytes).
/// A convolution or pooling with output rows as units: step = stride_h
/// input rows, lag = pad_top input rows. An elementwise operator with
/// elements as units: step = one input element, lag = minus one element
/// (element u is read before it is written).
struct StreamingAccess {
  int input_tensor = -1;
  int output_tensor = -1;
  int64_t output_unit_bytes = 0;
  int64_t units = 0;
  int64_t units_per_group = 1;
  int64_t group_input_bytes = 0;
  int64_t input_step_bytes = 0;
  int64_t input_lag_bytes = 0;
  int64_t input_bytes = 0;

  int64_t InputNeededFrom(int64_t unit) const;
};

/// The least D >= 0 such that the output may start D bytes below the input
/// (output offset = input offset - D) and overlap it: no output byte is
/// written over an input byte the operator still reads. D <= the output's
/// size; an output at distance D or more is always safe.
int64_t SafeOverlapDistance(const StreamingAccess& access);

}  // namespace kiln
