// BATCH_MATMUL (float32, int8 and int16, as TFLite Micro):
// out[..., m, n] = sum over k of X[..., m, k] * Y[..., k, n], ranks 2 to 5,
// the batch dimensions broadcast numpy-style; adj_x and adj_y become the
// strides the kernel reads X and Y with (runtime/kernels/batch_matmul.c),
// so a transposed operand is never copied.
#include <algorithm>

#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxRank = 5;  // TFLite's, three batch dimensions

struct MatMulGeometry {
  std::vector<int64_t> batch = std::vector<int64_t>(3, 1);
  std::vector<int64_t> x_step = std::vector<int64_t>(3, 0), y_step = std::vector<int64_t>(3, 0);
  int64_t rows = 0, cols = 0, depth = 0;
  int64_t x_row_step = 0, x_depth_step = 0, y_depth_step = 0, y_col_step = 0;
};

/// x_scale * y_scale / output_scale as TFLite's QuantizeMultiplier, the
/// product in double (GetQuantizedConvolutionMultipler).
FixedPointMultiplier OutputMultiplier(const Tensor& x, const Tensor& y, const Tensor& out) {
  return QuantizeMultiplier(static_cast<double>(x.quant.scale[0]) * static_cast<double>(y.quant.scale[0]) /
                            static_cast<double>(out.quant.scale[0]));
}

Expected<MatMulGeometry> AnalyzeBatchMatMul(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "x", {DType::kFloat32, DType::kInt8, DType::kInt16}));
  const Tensor& x = *graph.input(node, 0);
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "y", {x.dtype}));
  KILN_RETURN_IF_ERROR(movement::CheckOutputDTypeMatchesInput(graph, node));
  const Tensor& y = *graph.input(node, 1);
  const Tensor& out = graph.output(node);
  for (const Tensor* t : {&x, &y})
    if (t->shape.size() < 2 || t->shape.size() > kMaxRank)
      return MakeError("{}: '{}' has shape {}, expected rank 2 to {}", OpLabel(node), t->name, ShapeString(t->shape),
                       kMaxRank);
  const bool adj_x = node.attrs.get_int("adj_x", 0) != 0, adj_y = node.attrs.get_int("adj_y", 0) != 0;
  const std::vector<int64_t> xs = movement::ExtendShape(x.shape, kMaxRank);
  const std::vector<int64_t> ys = movement::ExtendShape(y.shape, kMaxRank);
  MatMulGeometry g;
  // The stored matrices: X [a, b] is [M, K] (or [K, M] with adj_x); Y [c, d] is [K, N] (or [N, K]).
  const int64_t a = xs[3], b = xs[4], c = ys[3], d = ys[4];
  g.rows = adj_x ? b : a;
  g.depth = adj_x ? a : b;
  g.cols = adj_y ? c : d;
  if ((adj_y ? d : c) != g.depth)
    return MakeError("{}: x '{}' {} gives {} values a row{} and y '{}' {} takes {}{}", OpLabel(node), x.name,
                     ShapeString(x.shape), g.depth, adj_x ? " (adj_x)" : "", y.name, ShapeString(y.shape),
                     adj_y ? d : c, adj_y ? " (adj_y)" : "");
  g.x_row_step = adj_x ? 1 : b;
  g.x_depth_step = adj_x ? b : 1;
  g.y_depth_step = adj_y ? 1 : d;
  g.y_col_step = adj_y ? d : 1;
  Shape expected;
  int64_t x_inner = a * b, y_inner = c * d;
  for (int i = 2; i >= 0; --i) {
    const int64_t dx = xs[static_cast<size_t>(i)], dy = ys[static_cast<size_t>(i)];
    if (dx != dy && dx != 1 && dy != 1)
      return MakeError("{}: x '{}' {} and y '{}' {} do not broadcast in their batch dimensions", OpLabel(node),
                       x.name, ShapeString(x.shape), y.name, ShapeString(y.shape));
    g.batch[static_cast<size_t>(i)] = std::max(dx, dy);
    g.x_step[static_cast<size_t>(i)] = dx == 1 ? 0 : x_inner;
    g.y_step[static_cast<size_t>(i)] = dy == 1 ? 0 : y_inner;
    x_inner *= dx;
    y_inner *= dy;
  }
  const size_t out_rank = std::max(x.shape.size(), y.shape.size());
  for (size_t i = kMaxRank - out_rank; i < 3; ++i) expected.push_back(static_cast<int32_t>(g.batch[i]));
  expected.push_back(static_cast<int32_t>(g.rows));
  expected.push_back(static_cast<int32_t>(g.cols));
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  if (x.dtype == DType::kInt8) {
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, x, "x"));
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, y, "y"));
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, out, "output"));
  }
  if (x.dtype == DType::kInt16) {
    // TFLite Micro's Prepare: zero points 0 (per-tensor scales).
    KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, x, "x"));
    KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, y, "y"));
    KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, out, "output"));
    // The 64-bit requantization takes shifts from -31 to 7.
    const FixedPointMultiplier m = OutputMultiplier(x, y, out);
    if (m.shift > 7)
      return MakeError("{}: x_scale * y_scale / output_scale = {} is too large (the int16 requantization takes at "
                       "most 2^7)",
                       OpLabel(node), static_cast<double>(x.quant.scale[0]) * y.quant.scale[0] / out.quant.scale[0]);
  }
  return g;
}

}  // namespace

Status CheckBatchMatMul(const Graph& graph, const Node& node) { return AnalyzeBatchMatMul(graph, node).status(); }

Status LowerBatchMatMul(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const MatMulGeometry g, AnalyzeBatchMatMul(graph, node));
  const Tensor& x = *graph.input(node, 0);
  const std::string shape = fmt::format(
      "{{ .batch = {}, .x_batch_step = {}, .y_batch_step = {}, .rows = {}, .cols = {}, .depth = {}, "
      ".x_row_step = {}, .x_depth_step = {}, .y_depth_step = {}, .y_col_step = {} }}",
      movement::IntList(g.batch), movement::IntList(g.x_step), movement::IntList(g.y_step), g.rows, g.cols, g.depth,
      g.x_row_step, g.x_depth_step, g.y_depth_step, g.y_col_step);
  std::vector<CField> fields = {{"shape", shape}};
  const bool int16 = x.dtype == DType::kInt16;
  if (x.dtype != DType::kFloat32) {
    const Tensor& y = *graph.input(node, 1);
    const Tensor& out = graph.output(node);
    const FixedPointMultiplier m = OutputMultiplier(x, y, out);
    // No fused activation: the dtype's range.
    fields.insert(fields.end(), {{"x_offset", std::to_string(-psm_detail::ZeroPoint(x))},
                                 {"y_offset", std::to_string(-psm_detail::ZeroPoint(y))},
                                 {"output_offset", std::to_string(psm_detail::ZeroPoint(out))},
                                 {"multiplier", std::to_string(m.multiplier)},
                                 {"shift", std::to_string(m.shift)},
                                 {"act_min", int16 ? "-32768" : "-128"},
                                 {"act_max", int16 ? "32767" : "127"}});
  }
  const std::string variant = x.dtype == DType::kInt8 ? "s8" : int16 ? "s16" : "f32";
  ctx.use_kernel("batch_matmul");
  const std::string params = ctx.unique_name("batch_matmul_params");
  ctx.declare(StaticConstStruct(fmt::format("kiln_batch_matmul_{}_params_t", variant), params, fields));
  ctx.statement(fmt::format("kiln_batch_matmul_{}(&{}, {}, {}, {});", variant, params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.inputs[1]), ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
