// RESIZE_NEAREST_NEIGHBOR (any element type) and RESIZE_BILINEAR (float32,
// int8): validation and lowering to runtime/kernels/resize_*.c. Everything
// that depends only on an output row or column (its source rows, their
// weights) is computed here, with the arithmetic of TFLite's reference
// kernels (reference_ops::GetNearestNeighbor, ComputeInterpolationValues
// and ComputeInterpolationValuesInteger), float32 where they use float32;
// the kernels only combine pixels. A node from ONNX's Resize carries its
// coordinate_transformation_mode, nearest_mode and scales, and gets ONNX's
// tables instead (in double, as ONNX's reference computes them).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>

#include "c99/c_syntax.h"
#include "kernels/conv_common.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

struct ResizeGeometry {
  int32_t batches = 0, input_h = 0, input_w = 0, channels = 0, output_h = 0, output_w = 0;
  bool align_corners = false, half_pixel_centers = false;
  /// ONNX's coordinate_transformation_mode and nearest_mode, and its scales
  /// (output over input size); mode empty for TFLite's operators.
  std::string onnx_mode, nearest_mode;
  double scale_h = 1.0, scale_w = 1.0;
};

constexpr const char* kOnnxModes[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                                      "tf_half_pixel_for_nn"};
constexpr const char* kNearestModes[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};

bool OneOf(const std::string& value, std::span<const char* const> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

/// Shared by both operators: input [N,H,W,C], a constant size [2] naming
/// the output's height and width, and the output [N,size,C] of the input's
/// dtype.
Expected<ResizeGeometry> AnalyzeResize(const Graph& graph, const Node& node, bool bilinear) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(CheckRankPositive(node, input, "input", 4));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "size", {DType::kInt32}));
  KILN_RETURN_IF_ERROR(CheckConstant(graph, node, 1, "size"));
  const Tensor& size = *graph.input(node, 1);
  if (size.num_elements() != 2)
    return MakeError("{}: size '{}' has {} elements, expected 2 (height, width)", OpLabel(node), size.name,
                     size.num_elements());
  if (output.dtype != input.dtype)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {} (the input's)", OpLabel(node), output.name,
                     DTypeName(output.dtype), DTypeName(input.dtype));
  ResizeGeometry g;
  g.batches = input.shape[0];
  g.input_h = input.shape[1];
  g.input_w = input.shape[2];
  g.channels = input.shape[3];
  const int64_t h = size.int_at(0), w = size.int_at(1);
  if (h < 1 || w < 1 || h > (1 << 16) || w > (1 << 16))
    return MakeError("{}: size '{}' asks for {}x{}, expected 1 to 65536 each", OpLabel(node), size.name, h, w);
  g.output_h = static_cast<int32_t>(h);
  g.output_w = static_cast<int32_t>(w);
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, {g.batches, g.output_h, g.output_w, g.channels}));
  g.align_corners = node.attrs.get_int("align_corners", 0) != 0;
  g.half_pixel_centers = node.attrs.get_int("half_pixel_centers", 0) != 0;
  if (bilinear && g.align_corners && g.half_pixel_centers)
    return MakeError("{}: align_corners and half_pixel_centers are both set; TFLite allows one at most",
                     OpLabel(node));
  g.onnx_mode = node.attrs.get_string("coordinate_transformation_mode");
  if (!g.onnx_mode.empty()) {
    g.nearest_mode = node.attrs.get_string("nearest_mode", "round_prefer_floor");
    g.scale_h = node.attrs.get_float("scale_h", 0.0);
    g.scale_w = node.attrs.get_float("scale_w", 0.0);
    if (!OneOf(g.onnx_mode, kOnnxModes))
      return MakeError("{}: coordinate_transformation_mode '{}' is not supported", OpLabel(node), g.onnx_mode);
    if (!bilinear && !OneOf(g.nearest_mode, kNearestModes))
      return MakeError("{}: nearest_mode '{}' is not supported", OpLabel(node), g.nearest_mode);
    if (!(g.scale_h > 0.0) || !(g.scale_w > 0.0) || !std::isfinite(g.scale_h) || !std::isfinite(g.scale_w))
      return MakeError("{}: scales {} and {} must be positive", OpLabel(node), g.scale_h, g.scale_w);
    if (bilinear && input.dtype != DType::kFloat32)
      return MakeError("{}: ONNX's linear Resize is float32 only", OpLabel(node));
  }
  return g;
}

/// ONNX Resize's input coordinate of output index o along one axis. As
/// ONNX's reference, the resized length is the input's times the scale,
/// before it is rounded down to the output size.
double OnnxSourceCoordinate(const std::string& mode, int32_t o, int32_t in, double scale) {
  const double resized = in * scale;
  if (mode == "half_pixel") return (o + 0.5) / scale - 0.5;
  if (mode == "pytorch_half_pixel") return resized > 1 ? (o + 0.5) / scale - 0.5 : 0.0;
  if (mode == "align_corners") return resized == 1 ? 0.0 : o * static_cast<double>(in - 1) / (resized - 1);
  if (mode == "tf_half_pixel_for_nn") return (o + 0.5) / scale;
  return o / scale;  // asymmetric
}

/// ONNX Resize's nearest input index: the coordinate rounded per
/// nearest_mode, then clamped into the input (its edge repeated).
int64_t OnnxNearestSource(const std::string& nearest_mode, double x, int32_t in) {
  const double lo = std::floor(x), frac = x - lo;
  double picked = lo;
  if (nearest_mode == "round_prefer_floor") picked = frac > 0.5 ? lo + 1 : lo;
  else if (nearest_mode == "round_prefer_ceil") picked = frac >= 0.5 ? lo + 1 : lo;
  else if (nearest_mode == "ceil") picked = frac > 0.0 ? lo + 1 : lo;
  return static_cast<int64_t>(std::clamp(picked, 0.0, static_cast<double>(in - 1)));
}

/// reference_ops::GetNearestNeighbor, in float32 as there.
int32_t NearestSource(int32_t o, int32_t in, int32_t out, bool align, bool half) {
  const float scale = (align && out > 1) ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                                         : static_cast<float>(in) / static_cast<float>(out);
  const float v = (static_cast<float>(o) + (half ? 0.5f : 0.0f)) * scale;
  int32_t r = std::min(align ? static_cast<int32_t>(std::round(v)) : static_cast<int32_t>(std::floor(v)), in - 1);
  if (half) r = std::max(0, r);
  return r;
}

/// The source index of every output row (`rows`) or column.
std::vector<int64_t> NearestTable(const ResizeGeometry& g, bool rows) {
  const int32_t in = rows ? g.input_h : g.input_w, out = rows ? g.output_h : g.output_w;
  std::vector<int64_t> table;
  for (int32_t o = 0; o < out; ++o)
    table.push_back(g.onnx_mode.empty()
                        ? NearestSource(o, in, out, g.align_corners, g.half_pixel_centers)
                        : OnnxNearestSource(g.nearest_mode,
                                            OnnxSourceCoordinate(g.onnx_mode, o, in, rows ? g.scale_h : g.scale_w),
                                            in));
  return table;
}

/// One axis of a bilinear resize: per output index, the two source indices
/// and the weight of the upper one (float fraction, or 1/1024 units).
struct BilinearAxis {
  std::vector<int64_t> lo, hi, weight;
  std::vector<float> frac;
};

/// reference_ops::ComputeInterpolationValues (float32) and
/// ComputeInterpolationValuesInteger, for every output index.
BilinearAxis BilinearTables(int32_t in, int32_t out, bool align, bool half, bool integer) {
  BilinearAxis a;
  float scale = static_cast<float>(in) / static_cast<float>(out);
  if (align && out > 1) scale = static_cast<float>(in - 1) / static_cast<float>(out - 1);
  int64_t scale_10 = ((int64_t{1} << 10) * in + out / 2) / out;
  if (align && out > 1) scale_10 = ((int64_t{1} << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  for (int32_t o = 0; o < out; ++o) {
    if (integer) {
      const int64_t scaled = half ? o * scale_10 + scale_10 / 2 - (1 << 9) : o * scale_10;
      const int64_t lo = std::max<int64_t>(scaled / (1 << 10), 0);  // truncating, as C++
      a.lo.push_back(lo);
      a.hi.push_back(std::min<int64_t>((scaled + (1 << 10) - 1) / (1 << 10), in - 1));
      a.weight.push_back(scaled - (int64_t{1} << 10) * lo);
    } else {
      const float value = static_cast<float>(o);
      const float scaled = half ? (value + 0.5f) * scale - 0.5f : value * scale;
      const int32_t lo = std::max(static_cast<int32_t>(std::floor(scaled)), 0);
      a.lo.push_back(lo);
      a.hi.push_back(std::min(static_cast<int32_t>(std::ceil(scaled)), in - 1));
      a.frac.push_back(scaled - static_cast<float>(lo));
    }
  }
  return a;
}

/// ONNX's linear Resize along one axis: the two neighbours of each output
/// index's coordinate, clamped into the input (its edge repeated), and the
/// weight of the upper one.
BilinearAxis OnnxBilinearTable(const ResizeGeometry& g, bool rows) {
  const int32_t in = rows ? g.input_h : g.input_w;
  const int32_t out = rows ? g.output_h : g.output_w;
  BilinearAxis a;
  for (int32_t o = 0; o < out; ++o) {
    const double x = OnnxSourceCoordinate(g.onnx_mode, o, in, rows ? g.scale_h : g.scale_w);
    const double lo = std::floor(x);
    a.lo.push_back(static_cast<int64_t>(std::clamp(lo, 0.0, static_cast<double>(in - 1))));
    a.hi.push_back(static_cast<int64_t>(std::clamp(lo + 1, 0.0, static_cast<double>(in - 1))));
    a.frac.push_back(static_cast<float>(x - lo));
  }
  return a;
}

/// The source indices must lie in the input (TFLite does not check; a
/// table built here that did not would read outside it).
Status CheckSources(const Node& node, const std::vector<int64_t>& sources, int32_t in, const char* axis) {
  for (size_t i = 0; i < sources.size(); ++i)
    if (sources[i] < 0 || sources[i] >= in)
      return MakeError("{}: output {} {} reads input {} {}, outside the input's {}", OpLabel(node), axis, i, axis,
                       sources[i], in);
  return Status::Ok();
}

std::string I(int64_t v) { return std::to_string(v); }

std::vector<CField> SizeFields(const ResizeGeometry& g) {
  return {{"batches", I(g.batches)}, {"input_h", I(g.input_h)}, {"input_w", I(g.input_w)}};
}

}  // namespace

Status CheckResizeNearestNeighbor(const Graph& graph, const Node& node) {
  return AnalyzeResize(graph, node, /*bilinear=*/false).status();
}

Status LowerResizeNearestNeighbor(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(ResizeGeometry g, AnalyzeResize(ctx.graph(), node, false));
  const std::vector<int64_t> rows = NearestTable(g, true), cols = NearestTable(g, false);
  KILN_RETURN_IF_ERROR(CheckSources(node, rows, g.input_h, "row"));
  KILN_RETURN_IF_ERROR(CheckSources(node, cols, g.input_w, "column"));
  ctx.use_kernel("resize_nearest");
  std::vector<CField> fields = SizeFields(g);
  const int64_t element = DTypeSize(ctx.graph().input(node, 0)->dtype);
  fields.insert(fields.end(), {{"output_h", I(g.output_h)},
                               {"output_w", I(g.output_w)},
                               {"pixel_bytes", I(g.channels * element)},
                               {"source_row", ctx.const_int_array("resize_rows", "int32_t", rows)},
                               {"source_col", ctx.const_int_array("resize_cols", "int32_t", cols)}});
  const std::string params = ctx.unique_name("resize_params");
  ctx.declare(StaticConstStruct("kiln_resize_nearest_params_t", params, fields));
  ctx.statement(fmt::format("kiln_resize_nearest(&{}, {}, {});", params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status CheckResizeBilinear(const Graph& graph, const Node& node) {
  return AnalyzeResize(graph, node, /*bilinear=*/true).status();
}

Status LowerResizeBilinear(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(ResizeGeometry g, AnalyzeResize(ctx.graph(), node, true));
  const bool integer = ctx.graph().input(node, 0)->dtype == DType::kInt8;
  const bool onnx = !g.onnx_mode.empty();
  const BilinearAxis rows = onnx ? OnnxBilinearTable(g, true)
                                 : BilinearTables(g.input_h, g.output_h, g.align_corners, g.half_pixel_centers, integer);
  const BilinearAxis cols = onnx ? OnnxBilinearTable(g, false)
                                 : BilinearTables(g.input_w, g.output_w, g.align_corners, g.half_pixel_centers, integer);
  for (const auto* table : {&rows.lo, &rows.hi}) KILN_RETURN_IF_ERROR(CheckSources(node, *table, g.input_h, "row"));
  for (const auto* table : {&cols.lo, &cols.hi}) KILN_RETURN_IF_ERROR(CheckSources(node, *table, g.input_w, "column"));
  const std::string variant = integer ? "resize_bilinear_s8" : "resize_bilinear_f32";
  ctx.use_kernel(variant);
  std::vector<CField> fields = SizeFields(g);
  fields.insert(fields.end(), {{"channels", I(g.channels)}, {"output_h", I(g.output_h)}, {"output_w", I(g.output_w)}});
  auto axis_fields = [&](const BilinearAxis& a, const char* axis) {
    const std::string stem = std::string("resize_") + axis;
    fields.push_back({std::string(axis) + "_lo", ctx.const_int_array(stem + "_lo", "int32_t", a.lo)});
    fields.push_back({std::string(axis) + "_hi", ctx.const_int_array(stem + "_hi", "int32_t", a.hi)});
    if (integer)
      fields.push_back({std::string(axis) + "_weight", ctx.const_int_array(stem + "_weight", "int32_t", a.weight)});
    else
      fields.push_back({std::string(axis) + "_frac", ctx.const_float_array(stem + "_frac", a.frac)});
  };
  axis_fields(rows, "row");
  axis_fields(cols, "col");
  const std::string params = ctx.unique_name("resize_params");
  ctx.declare(StaticConstStruct("kiln_" + variant + "_params_t", params, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
