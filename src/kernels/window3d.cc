// CONV_3D, MAX_POOL_3D and AVERAGE_POOL_3D (float32, NDHWC): TFLite's
// CONV_3D (its reference Conv3D; groups as ONNX's Conv splits the channels)
// and its pooling3d custom kernels, and ONNX's 3-D Conv, MaxPool and
// AveragePool through them. The window geometry is read once for all three:
// TFLite's SAME or VALID padding, or ONNX's leading pads (pad_front, pad_top,
// pad_left) with the output's shape as the importer computed it. Lowered to
// runtime/kernels/conv3d_f32.c and pool3d_f32.c.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

/// One spatial axis of the windows.
struct Axis3D {
  int64_t in = 0, out = 0, filter = 1, stride = 1, dilation = 1, pad = 0;
};

struct Window3D {
  int64_t batches = 0, in_c = 0, out_c = 0;
  Axis3D axes[3];  // depth, height, width
  FloatRange activation{};
};

constexpr const char* kAxisNames[3] = {"d", "h", "w"};
constexpr const char* kPadAttrs[3] = {"pad_front", "pad_top", "pad_left"};

/// The windows of `node`: input [N,D,H,W,C] and output [N,D',H',W',C'],
/// the filter's extents given (the pools' attributes, the conv's filter).
Expected<Window3D> ReadWindow(const Graph& graph, const Node& node, const int64_t filter[3], bool dilated) {
  const Tensor& in = *graph.input(node, 0);
  const Tensor& out = graph.output(node, 0);
  for (const Tensor* t : {&in, &out})
    if (t->shape.size() != 5)
      return MakeError("{}: '{}' has shape {}, expected rank 5 (NDHWC)", OpLabel(node), t->name, ShapeString(t->shape));
  if (in.shape[0] != out.shape[0])
    return MakeError("{}: output '{}' has batch {}, expected {}", OpLabel(node), out.name, out.shape[0], in.shape[0]);
  Window3D w;
  w.batches = in.shape[0];
  w.in_c = in.shape[4];
  w.out_c = out.shape[4];
  const bool explicit_pads = node.attrs.has("pad_front") || node.attrs.has("pad_top") || node.attrs.has("pad_left");
  const std::string padding = node.attrs.get_string("padding", "VALID");
  if (!explicit_pads && padding != "SAME" && padding != "VALID")
    return MakeError("{}: padding '{}' is not SAME or VALID", OpLabel(node), padding);
  for (int a = 0; a < 3; ++a) {
    Axis3D& x = w.axes[a];
    x.in = in.shape[static_cast<size_t>(a + 1)];
    x.out = out.shape[static_cast<size_t>(a + 1)];
    x.filter = filter[a];
    x.stride = node.attrs.get_int(fmt::format("stride_{}", kAxisNames[a]), 1);
    x.dilation = dilated ? node.attrs.get_int(fmt::format("dilation_{}", kAxisNames[a]), 1) : 1;
    constexpr int64_t kMax = 1 << 16;
    if (x.filter < 1 || x.filter > kMax || x.stride < 1 || x.stride > kMax || x.dilation < 1 || x.dilation > kMax)
      return MakeError("{}: filter {}, stride {}, dilation {} along {}: each must be 1 to {}", OpLabel(node), x.filter,
                       x.stride, x.dilation, kAxisNames[a], kMax);
    const int64_t effective = (x.filter - 1) * x.dilation + 1;
    if (explicit_pads) {
      // ONNX's pads: the importer sized the output; every window must overlap the input.
      x.pad = node.attrs.get_int(kPadAttrs[a], 0);
      if (x.pad < 0 || x.pad >= effective || x.out < 1 || (x.out - 1) * x.stride - x.pad >= x.in)
        return MakeError("{}: {} {} with output extent {} along {} leaves a window outside input '{}' (extent {})",
                         OpLabel(node), kPadAttrs[a], x.pad, x.out, kAxisNames[a], in.name, x.in);
      continue;
    }
    // TFLite's SAME (ComputePaddingHeightWidth) or VALID.
    const int64_t expected = padding == "SAME" ? (x.in + x.stride - 1) / x.stride : (x.in - effective) / x.stride + 1;
    if (expected < 1 || x.out != expected)
      return MakeError("{}: output '{}' has extent {} along {}, expected {} ({} padding)", OpLabel(node), out.name,
                       x.out, kAxisNames[a], expected, padding);
    if (padding == "SAME") x.pad = std::max<int64_t>(0, (x.out - 1) * x.stride + effective - x.in) / 2;
  }
  KILN_ASSIGN_OR_RETURN(w.activation, FloatActivationRange(node.attrs.get_string("activation", "NONE")));
  return w;
}

std::string I(int64_t v) { return std::to_string(v); }

std::vector<CField> GeometryFields(const Window3D& w) {
  std::vector<CField> fields = {{"batches", I(w.batches)}};
  for (const char* what : {"in", "out"})
    for (int a = 0; a < 3; ++a) {
      const Axis3D& x = w.axes[a];
      fields.push_back({fmt::format("{}_{}", what, kAxisNames[a]), I(what[0] == 'i' ? x.in : x.out)});
    }
  for (int a = 0; a < 3; ++a) fields.push_back({fmt::format("filter_{}", kAxisNames[a]), I(w.axes[a].filter)});
  for (int a = 0; a < 3; ++a) fields.push_back({fmt::format("stride_{}", kAxisNames[a]), I(w.axes[a].stride)});
  for (int a = 0; a < 3; ++a) fields.push_back({fmt::format("pad_{}", kAxisNames[a]), I(w.axes[a].pad)});
  fields.push_back({"activation_min", elem_detail::FloatLit(w.activation.min)});
  fields.push_back({"activation_max", elem_detail::FloatLit(w.activation.max)});
  return fields;
}

Expected<Window3D> ReadConv3D(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 3, 1));
  for (size_t slot = 0; slot < 3; ++slot)
    if (slot < 2 || graph.input(node, slot) != nullptr)
      KILN_RETURN_IF_ERROR(
          CheckInputDType(graph, node, slot, slot == 0 ? "input" : slot == 1 ? "filter" : "bias", {DType::kFloat32}));
  KILN_RETURN_IF_ERROR(elem_detail::CheckOutputDType(graph, node, 0, {DType::kFloat32}));
  const Tensor& filter = *graph.input(node, 1);
  if (filter.shape.size() != 5)
    return MakeError("{}: filter '{}' has shape {}, expected [KD,KH,KW,Ci/groups,Co]", OpLabel(node), filter.name,
                     ShapeString(filter.shape));
  const int64_t extents[3] = {filter.shape[0], filter.shape[1], filter.shape[2]};
  KILN_ASSIGN_OR_RETURN(Window3D w, ReadWindow(graph, node, extents, /*dilated=*/true));
  const int64_t group_in = filter.shape[3];
  // in_c < group_in (an input of 0 channels) would divide by zero below (found by fuzzing).
  if (group_in < 1 || w.in_c < group_in || w.in_c % group_in != 0 || filter.shape[4] != w.out_c ||
      w.out_c % (w.in_c / group_in) != 0)
    return MakeError("{}: filter '{}' {} does not fit input channels {} and output channels {} (groups of the "
                     "filter's input channels)",
                     OpLabel(node), filter.name, ShapeString(filter.shape), w.in_c, w.out_c);
  const Tensor* bias = graph.input(node, 2);
  if (bias != nullptr && bias->shape != Shape{static_cast<int32_t>(w.out_c)})
    return MakeError("{}: bias '{}' has shape {}, expected [{}]", OpLabel(node), bias->name, ShapeString(bias->shape),
                     w.out_c);
  return w;
}

Expected<Window3D> ReadPool3D(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {DType::kFloat32}));
  KILN_RETURN_IF_ERROR(elem_detail::CheckOutputDType(graph, node, 0, {DType::kFloat32}));
  const int64_t extents[3] = {node.attrs.get_int("filter_d", 1), node.attrs.get_int("filter_h", 1),
                              node.attrs.get_int("filter_w", 1)};
  KILN_ASSIGN_OR_RETURN(Window3D w, ReadWindow(graph, node, extents, /*dilated=*/false));
  if (w.out_c != w.in_c)
    return MakeError("{}: output has {} channels, expected {} (the input's)", OpLabel(node), w.out_c, w.in_c);
  return w;
}

}  // namespace

Status CheckConv3D(const Graph& graph, const Node& node) { return ReadConv3D(graph, node).status(); }

Status LowerConv3D(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(const Window3D w, ReadConv3D(ctx.graph(), node));
  std::vector<CField> fields = GeometryFields(w);
  fields.push_back({"in_c", I(w.in_c)});
  fields.push_back({"out_c", I(w.out_c)});
  for (int a = 0; a < 3; ++a) fields.push_back({fmt::format("dilation_{}", kAxisNames[a]), I(w.axes[a].dilation)});
  fields.push_back({"groups", I(w.in_c / ctx.graph().input(node, 1)->shape[3])});
  ctx.use_kernel("conv3d_f32");
  const std::string params = ctx.unique_name("conv3d_f32_params");
  ctx.declare(StaticConstStruct("kiln_conv3d_f32_params_t", params, fields));
  const bool has_bias = ctx.graph().input(node, 2) != nullptr;
  ctx.statement(fmt::format("kiln_conv3d_f32(&{}, {}, {}, {}, {});", params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.inputs[1]), has_bias ? ctx.tensor(node.inputs[2]) : "NULL",
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status CheckPool3D(const Graph& graph, const Node& node) { return ReadPool3D(graph, node).status(); }

Status LowerPool3D(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(const Window3D w, ReadPool3D(ctx.graph(), node));
  std::vector<CField> fields = GeometryFields(w);
  fields.push_back({"channels", I(w.in_c)});
  fields.push_back({"average", node.op == OpKind::kAveragePool3D ? "1" : "0"});
  ctx.use_kernel("pool3d_f32");
  const std::string params = ctx.unique_name("pool3d_f32_params");
  ctx.declare(StaticConstStruct("kiln_pool3d_f32_params_t", params, fields));
  ctx.statement(fmt::format("kiln_pool3d_f32(&{}, {}, {});", params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
