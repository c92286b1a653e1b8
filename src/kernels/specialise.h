// Shape-specialised kernel calls: a runtime kernel whose body is inline
// (runtime/include/kiln/kernels/<variant>_inline.h) is called, in the AOT
// executor's source, through a small function of that source with the
// layer's shape compiled in. Its params' literal fields (sizes, strides,
// offsets, clamps) become constants there, so that GCC folds the loop bounds
// and strides into immediates and the registers they took hold sums instead;
// the fields that name arrays (weights, bias) still come from the layer's
// params, so that layers of the same shape share one function. Call
// arguments that are numbers (a gemm's row count) are compiled in as well.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernels/lowering.h"

namespace kiln {

/// How each shaped function's definition starts, its name next (what
/// footprint/shaped_copies.cc finds them by).
inline constexpr std::string_view kShapedFunctionHead = "static KILN_NOINLINE void ";

/// One call of a runtime kernel's entry point with a params struct.
struct KernelCall {
  std::string_view variant;      ///< the runtime file, e.g. "gemm_s8_dsp"
  std::string entry;             ///< the entry point, e.g. "kiln_gemm_s8_dsp_wide_narrow"
  std::string_view params_type;  ///< e.g. "kiln_gemm_s8_params_t"
  std::string_view params_stem;  ///< the stem of the params' name
  std::string initializer;       ///< the params' designated initializer, "{ .depth = 8, ... }"
  /// The entry point's parameters after the params pointer, as C, and the
  /// call's arguments for them.
  std::string_view parameters;
  std::vector<std::string> arguments;
};

/// Declares the call's static const params and appends the call to run():
/// to the entry point, or, where the context specialises kernels and the
/// variant has an inline body, to the function of the layer's shape (one per
/// distinct shape).
void EmitKernelCall(LoweringContext& ctx, const KernelCall& call);

/// `initializer` with every field whose value is not a number literal (an
/// array's or a function's name, NULL) replaced by the same field of
/// `source` ("params->"), nested structs included.
std::string ShapeInitializer(std::string_view initializer, std::string_view source);

}  // namespace kiln
