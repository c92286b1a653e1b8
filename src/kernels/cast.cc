// CAST between bool, int8, uint8, int16, int32, int64, float32 and float64: one
// elementwise kernel (runtime/kernels/cast.c) told both types. TFLite
// casts raw values (static_cast), never quantization.
#include <fmt/format.h>

#include <algorithm>

#include "c99/c_syntax.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr std::initializer_list<DType> kCastDTypes = {DType::kBool,  DType::kInt8,  DType::kUInt8, DType::kInt16,
                                                      DType::kInt32, DType::kInt64, DType::kFloat32, DType::kFloat64};

/// The kernel's KILN_CAST_* code of a dtype.
const char* CastCode(DType dtype) {
  switch (dtype) {
    case DType::kBool: return "KILN_CAST_BOOL";
    case DType::kInt8: return "KILN_CAST_INT8";
    case DType::kUInt8: return "KILN_CAST_UINT8";
    case DType::kInt16: return "KILN_CAST_INT16";
    case DType::kInt32: return "KILN_CAST_INT32";
    case DType::kInt64: return "KILN_CAST_INT64";
    case DType::kFloat64: return "KILN_CAST_FLOAT64";
    default: return "KILN_CAST_FLOAT32";
  }
}

}  // namespace

Status CheckCast(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", kCastDTypes));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  if (std::find(kCastDTypes.begin(), kCastDTypes.end(), output.dtype) == kCastDTypes.end())
    return MakeError("{}: output 0 '{}' has dtype {}, which CAST does not produce", OpLabel(node), output.name,
                     DTypeName(output.dtype));
  return CheckOutputShape(graph, node, 0, input.shape);
}

Status LowerCast(const Node& node, LoweringContext& ctx) {
  const Tensor& input = *ctx.graph().input(node, 0);
  const DType to = ctx.graph().output(node).dtype;
  const std::string variant = input.dtype == DType::kFloat64 || to == DType::kFloat64 ? "cast_f64" : "cast";
  ctx.use_kernel(variant);
  const std::string params = ctx.unique_name("cast_params");
  ctx.declare(StaticConstStruct("kiln_cast_params_t", params,
                                {{"count", std::to_string(input.num_elements())},
                                 {"from", CastCode(input.dtype)},
                                 {"to", CastCode(to)}}));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
