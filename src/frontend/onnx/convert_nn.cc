// ONNX convolution, pooling, dense and normalization operators. Conv and the
// pools stay in NCHW here (attribute layout="NCHW"; passes/convert_layout.cc
// moves them to NHWC); 3-D ones become CONV_3D and the 3-D pools, NDHWC,
// between TRANSPOSEs. ONNX's explicit pads become TFLite's SAME or VALID
// when they agree with them, else an explicit PAD in front. 1-D convolutions
// and pools run as 2-D ones over a height of 1.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {
namespace {

/// One spatial axis of a sliding window, in ONNX's terms.
struct Window {
  int64_t in = 0, kernel = 1, stride = 1, dilation = 1;
  int64_t pad_begin = 0, pad_end = 0;
  int64_t out = 0;
  int64_t effective() const { return (kernel - 1) * dilation + 1; }
};

/// How the windows map onto the IR: TFLite's padding mode plus, for
/// "explicit", the (before, after) pads of a PAD node per spatial axis.
struct PaddingPlan {
  std::string padding;  // "SAME", "VALID", or "explicit" (PAD + VALID)
  std::vector<int64_t> before, after;
};

Expected<std::vector<Window>> ReadWindows(OnnxNode& n, const Shape& spatial, std::vector<int64_t> kernel,
                                          bool ceil_mode) {
  const size_t rank = spatial.size();
  if (kernel.size() != rank) return n.Invalid("kernel_shape has {} entries for {} spatial axes", kernel.size(), rank);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> strides, n.attr_ints("strides", std::vector<int64_t>(rank, 1)));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> dilations, n.attr_ints("dilations", std::vector<int64_t>(rank, 1)));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> pads, n.attr_ints("pads", std::vector<int64_t>(2 * rank, 0)));
  KILN_ASSIGN_OR_RETURN(std::string auto_pad, n.attr_string("auto_pad", std::string("NOTSET")));
  if (strides.size() != rank || dilations.size() != rank || pads.size() != 2 * rank)
    return n.Invalid("strides, dilations or pads do not match {} spatial axes", rank);
  if (auto_pad != "NOTSET" && auto_pad != "VALID" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER")
    return n.Invalid("attribute auto_pad has the unknown value '{}'", auto_pad);
  std::vector<Window> windows(rank);
  for (size_t i = 0; i < rank; ++i) {
    Window& w = windows[i];
    w.in = spatial[i];
    w.kernel = kernel[i];
    w.stride = strides[i];
    w.dilation = dilations[i];
    constexpr int64_t kMax = 1 << 16;
    if (w.kernel < 1 || w.kernel > kMax || w.stride < 1 || w.stride > kMax || w.dilation < 1 || w.dilation > kMax)
      return n.Invalid("kernel {}, stride {}, dilation {} on spatial axis {}: each must be 1 to {}", w.kernel,
                       w.stride, w.dilation, i, kMax);
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      w.out = (w.in + w.stride - 1) / w.stride;
      const int64_t total = std::max<int64_t>(0, (w.out - 1) * w.stride + w.effective() - w.in);
      w.pad_begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.pad_end = total - w.pad_begin;
      continue;
    }
    if (auto_pad == "NOTSET") {
      w.pad_begin = pads[i];
      w.pad_end = pads[i + rank];
      if (w.pad_begin < 0 || w.pad_end < 0 || w.pad_begin > kMax || w.pad_end > kMax)
        return n.Invalid("pads {} and {} on spatial axis {} must be 0 to {}", w.pad_begin, w.pad_end, i, kMax);
    }
    const int64_t span = w.in + w.pad_begin + w.pad_end - w.effective();
    if (span < 0)
      return n.Invalid("the {}-wide window does not fit spatial axis {} of size {} (padded: {})", w.effective(),
                       i, w.in, w.in + w.pad_begin + w.pad_end);
    w.out = (ceil_mode ? (span + w.stride - 1) / w.stride : span / w.stride) + 1;
    // The last window must start inside the input or the leading padding.
    if (ceil_mode && (w.out - 1) * w.stride >= w.in + w.pad_begin) --w.out;
  }
  return windows;
}

PaddingPlan PlanPadding(const std::vector<Window>& windows) {
  bool same = true, valid = true;
  PaddingPlan plan;
  for (const Window& w : windows) {
    const int64_t same_out = (w.in + w.stride - 1) / w.stride;
    const int64_t same_total = std::max<int64_t>(0, (same_out - 1) * w.stride + w.effective() - w.in);
    same = same && w.out == same_out && w.pad_begin == same_total / 2;
    valid = valid && w.pad_begin == 0 && w.out == (w.in - w.effective()) / w.stride + 1 && w.in >= w.effective();
    plan.before.push_back(w.pad_begin);
    // Just enough after the input for `out` VALID windows (never negative:
    // trailing input no window reaches is simply not read).
    plan.after.push_back(std::max<int64_t>(0, (w.out - 1) * w.stride + w.effective() - w.in - w.pad_begin));
  }
  plan.padding = valid ? "VALID" : same ? "SAME" : "explicit";
  return plan;
}

/// Appends PAD of an NCHW tensor over its two spatial axes.
int EmitSpatialPad(OnnxNode& n, int input, const PaddingPlan& plan, float value, const std::string& name) {
  const Tensor& in = n.graph().tensor(input);
  std::vector<int64_t> paddings = {0, 0, 0, 0};
  Shape shape = {in.shape[0], in.shape[1]};
  for (size_t i = 0; i < 2; ++i) {
    paddings.insert(paddings.end(), {plan.before[i], plan.after[i]});
    shape.push_back(static_cast<int32_t>(in.shape[2 + i] + plan.before[i] + plan.after[i]));
  }
  Tensor t;
  t.name = name;
  t.dtype = in.dtype;
  t.quant = in.quant;
  t.shape = shape;
  std::vector<int> inputs = {input, n.ctx().AddInt32Constant(name + "/paddings", paddings, {4, 2})};
  if (value != 0.0f) inputs.push_back(n.ctx().AddFloatConstant(name + "/value", {value}, {}));
  const int out = n.ctx().AddTensor(std::move(t));
  n.ctx().AddNode(OpKind::kPad, inputs, {out});
  return out;
}

/// A copy of a 1-D node's proto with its strides, dilations and pads widened
/// to 2-D (a unit height in front), so 2-D window logic applies unchanged.
onnx::NodeProto WidenTo2D(const onnx::NodeProto& proto, bool one_d) {
  onnx::NodeProto copy = proto;
  if (!one_d) return copy;
  for (auto& a : *copy.mutable_attribute()) {
    std::vector<int64_t> v(a.ints().begin(), a.ints().end());
    if (a.name() == "strides" || a.name() == "dilations") v.insert(v.begin(), 1);
    else if (a.name() == "pads" && v.size() == 2) v = {0, v[0], 0, v[1]};
    else continue;
    a.clear_ints();
    for (int64_t e : v) a.add_ints(e);
  }
  return copy;
}

/// Tensor `id` as rank 4: 1-D inputs [N,C,W] get a unit height.
Expected<int> As4DTensor(OnnxNode& n, int id, const char* what) {
  const Tensor& in = n.graph().tensor(id);
  if (in.shape.size() == 4) return id;
  if (in.shape.size() == 3) {
    const Shape s = {in.shape[0], in.shape[1], 1, in.shape[2]};
    return EmitReshape(n, id, s, n.proto().output(0) + "/" + what + "_2d");
  }
  return n.Invalid("{} '{}' has rank {}, expected 3 or 4", what, in.name, in.shape.size());
}

/// Input `slot` as rank 4 (As4DTensor).
Expected<int> As4D(OnnxNode& n, size_t slot, const char* what) { return As4DTensor(n, n.input_id(slot), what); }

/// Emits a window op (conv or pool) in NCHW and binds output 0, reshaping a
/// 1-D result back to rank 3.
void BindWindowOutput(OnnxNode& n, int out4d, bool one_d) {
  if (!one_d) {
    n.BindOutput(0, out4d);
    return;
  }
  const Shape& s = n.graph().tensor(out4d).shape;
  n.BindOutput(0, EmitReshape(n, out4d, {s[0], s[1], s[3]}, n.proto().output(0)));
}

// --- 3-D: CONV_3D and the 3-D pools, NDHWC, between two TRANSPOSEs ----------

constexpr const char* kPadAttrs3D[3] = {"pad_front", "pad_top", "pad_left"};
constexpr const char* kAxes3D[3] = {"d", "h", "w"};

/// The [N,D,H,W,C] window op's output, transposed back to ONNX's [N,C,D,H,W]
/// and bound as output 0.
void EmitWindow3D(OnnxNode& n, OpKind op, std::vector<int> inputs, const std::vector<Window>& windows, Attrs attrs,
                  int32_t out_channels) {
  const Tensor& in = n.graph().tensor(inputs[0]);
  const std::string name = n.proto().output(0);
  for (size_t a = 0; a < 3; ++a) {
    attrs.set(fmt::format("stride_{}", kAxes3D[a]), windows[a].stride);
    attrs.set(kPadAttrs3D[a], windows[a].pad_begin);
  }
  attrs.set("activation", std::string("NONE"));
  Tensor out;
  out.name = name + "/ndhwc";
  out.dtype = in.dtype;
  out.shape = {in.shape[0], static_cast<int32_t>(windows[0].out), static_cast<int32_t>(windows[1].out),
               static_cast<int32_t>(windows[2].out), out_channels};
  const int y = n.ctx().AddTensor(std::move(out));
  n.ctx().AddNode(op, std::move(inputs), {y}, std::move(attrs));
  n.BindOutput(0, EmitTranspose(n, y, {0, 4, 1, 2, 3}, name));
}

Status EmitConvolution3D(OnnxNode& n, int x, int w, int bias) {
  const Shape in = n.graph().tensor(x).shape, filter = n.graph().tensor(w).shape;
  KILN_ASSIGN_OR_RETURN(int64_t group, n.attr_int("group", 1));
  if (group < 1 || in[1] % group != 0 || filter[0] % group != 0 || filter[1] * group != in[1])
    return n.Invalid("W {} with group {} does not fit X {}", ShapeString(filter), group, ShapeString(in));
  std::vector<int64_t> kernel = {filter[2], filter[3], filter[4]};
  if (n.has_attr("kernel_shape")) {
    KILN_ASSIGN_OR_RETURN(std::vector<int64_t> ks, n.attr_ints("kernel_shape"));
    if (ks != kernel) return n.Invalid("kernel_shape does not match W {}", ShapeString(filter));
  }
  KILN_ASSIGN_OR_RETURN(std::vector<Window> windows, ReadWindows(n, {in[2], in[3], in[4]}, kernel, false));
  if (bias != kNoTensor && n.graph().tensor(bias).shape != Shape{filter[0]})
    return n.Invalid("B has shape {}, expected [{}]", ShapeString(n.graph().tensor(bias).shape), filter[0]);
  const std::string name = n.proto().output(0);
  // NCDHW -> NDHWC; the filter OIDHW -> DHWIO (TFLite's CONV_3D layout).
  const int x_t = EmitTranspose(n, x, {0, 2, 3, 4, 1}, name + "/input_ndhwc");
  const int w_t = EmitTranspose(n, w, {2, 3, 4, 1, 0}, name + "/filter_dhwio");
  Attrs attrs;
  for (size_t a = 0; a < 3; ++a) attrs.set(fmt::format("dilation_{}", kAxes3D[a]), windows[a].dilation);
  EmitWindow3D(n, OpKind::kConv3D, {x_t, w_t, bias}, windows, std::move(attrs), filter[0]);
  return Status::Ok();
}

Status ConvertPool3D(OnnxNode& n, bool max, const std::vector<int64_t>& kernel, bool ceil_mode,
                     bool count_include_pad) {
  const Shape in = n.input(0).shape;
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_ASSIGN_OR_RETURN(std::vector<Window> windows, ReadWindows(n, {in[2], in[3], in[4]}, kernel, ceil_mode));
  for (const Window& w : windows) {
    if (w.dilation != 1) return n.Unsupported("attribute dilations={}", w.dilation);
    if (!max && count_include_pad && (w.pad_begin != 0 || w.pad_end != 0))
      return n.Unsupported("pads with count_include_pad=1 on a 3-D AveragePool");
  }
  const int x_t = EmitTranspose(n, n.input_id(0), {0, 2, 3, 4, 1}, n.proto().output(0) + "/input_ndhwc");
  Attrs attrs;
  for (size_t a = 0; a < 3; ++a) attrs.set(fmt::format("filter_{}", kAxes3D[a]), windows[a].kernel);
  EmitWindow3D(n, max ? OpKind::kMaxPool3D : OpKind::kAveragePool3D, {x_t}, windows, std::move(attrs), in[1]);
  return Status::Ok();
}

/// The maximum over one spatial axis (2 or 3) of an NCHW tensor: for each of
/// the window's taps a STRIDED_SLICE holding that tap of every window along
/// the axis, then their MAXIMUM.
int MaxAlongAxis(OnnxNode& n, int x, size_t axis, const Window& w, const std::string& name) {
  const Shape in = n.graph().tensor(x).shape;
  Shape out_shape = in;
  out_shape[axis] = static_cast<int32_t>(w.out);
  int result = kNoTensor;
  for (int64_t k = 0; k < w.kernel; ++k) {
    const std::string tap = fmt::format("{}/tap_{}", name, k);
    std::vector<int64_t> begin(4, 0), end(in.begin(), in.end()), strides(4, 1);
    begin[axis] = k * w.dilation;
    end[axis] = begin[axis] + (w.out - 1) * w.stride + 1;
    strides[axis] = w.stride;
    Tensor t;
    t.name = tap;
    t.dtype = DType::kFloat32;
    t.shape = out_shape;
    const int slice = n.ctx().AddTensor(std::move(t));
    EmitStridedSlice(n, x, begin, end, strides, slice, tap);
    result = result == kNoTensor ? slice
                                 : EmitBinary(n, OpKind::kMaximum, result, slice, k + 1 == w.kernel ? name : tap + "/max");
  }
  return result;
}

// A dilated MaxPool, which TFLite's MAX_POOL_2D cannot say: the input padded
// with -FLT_MAX, then the maximum along the width and then along the height
// (a window's maximum is the maximum of its rows' maxima), each from one
// strided slice per tap. Exact: a maximum does not depend on the order it
// is taken in.
Status EmitDilatedMaxPool(OnnxNode& n, int x, const std::vector<Window>& windows, const PaddingPlan& plan,
                          bool one_d) {
  if (n.graph().tensor(x).dtype != DType::kFloat32)
    return n.Unsupported("dilations on {} data", DTypeName(n.graph().tensor(x).dtype));
  constexpr int64_t kMaxTaps = 1024;
  for (const Window& w : windows)
    if (w.kernel > kMaxTaps) return n.Unsupported("a dilated window {} wide (at most {})", w.kernel, kMaxTaps);
  const std::string name = n.proto().output(0);
  const auto nonzero = [](const std::vector<int64_t>& pads) {
    return std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p != 0; });
  };
  if (nonzero(plan.before) || nonzero(plan.after)) x = EmitSpatialPad(n, x, plan, -FLT_MAX, name + "/padded");
  const int rows = MaxAlongAxis(n, x, 3, windows[1], name + "/across");
  BindWindowOutput(n, MaxAlongAxis(n, rows, 2, windows[0], one_d ? name + "/2d" : name), one_d);
  return Status::Ok();
}

Status ConvertPool(OnnxNode& n, bool max) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  if (n.has_output(1)) return n.Unsupported("output 'Indices'");
  KILN_ASSIGN_OR_RETURN(int64_t ceil_mode, n.attr_int("ceil_mode", 0));
  KILN_ASSIGN_OR_RETURN(int64_t count_include_pad, n.attr_int("count_include_pad", 0));
  KILN_ASSIGN_OR_RETURN(int64_t storage_order, n.attr_int("storage_order", 0));
  (void)storage_order;  // only affects the Indices output
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> kernel, n.attr_ints("kernel_shape"));
  if (n.input(0).shape.size() == 5) return ConvertPool3D(n, max, kernel, ceil_mode != 0, count_include_pad != 0);
  const bool one_d = n.input(0).shape.size() == 3;
  KILN_ASSIGN_OR_RETURN(int x, As4D(n, 0, "input"));
  if (one_d) kernel.insert(kernel.begin(), 1);
  const Shape in = n.graph().tensor(x).shape;
  const onnx::NodeProto wide_proto = WidenTo2D(n.proto(), one_d);
  OnnxNode wide(wide_proto, n.ctx());
  KILN_ASSIGN_OR_RETURN(std::vector<Window> windows, ReadWindows(wide, {in[2], in[3]}, kernel, ceil_mode != 0));
  PaddingPlan plan = PlanPadding(windows);
  for (const Window& w : windows) {
    if (w.dilation == 1) continue;
    if (!max) return n.Unsupported("attribute dilations={} on AveragePool", w.dilation);
    return EmitDilatedMaxPool(n, x, windows, plan, one_d);
  }
  const std::string name = n.proto().output(0);
  // An AveragePool over explicit pads that leaves them out of the count:
  // the average over the zero-padded input, times kernel size / the count
  // of the window's values inside the input (a constant per position).
  bool rescale = false;
  if (plan.padding == "explicit" || (!max && count_include_pad && plan.padding == "SAME")) {
    rescale = !max && !count_include_pad;
    // The rescaling is a constant of one float per output position.
    constexpr int64_t kMaxPositions = 1 << 16;
    if (rescale && windows[0].out * windows[1].out > kMaxPositions)
      return n.Unsupported("pads {}/{} with count_include_pad=0 over {} output positions (at most {})",
                           fmt::join(plan.before, ","), fmt::join(plan.after, ","), windows[0].out * windows[1].out,
                           kMaxPositions);
    if (!max && count_include_pad && ceil_mode) {
      for (const Window& w : windows)
        if (w.out != (w.in + w.pad_begin + w.pad_end - w.effective()) / w.stride + 1)
          return n.Unsupported("attribute ceil_mode=1 with count_include_pad=1");
    }
    if (n.input(0).dtype != DType::kFloat32)
      return n.Unsupported("explicit pads on {} data (only SAME-like pads are supported)", DTypeName(n.input(0).dtype));
    x = EmitSpatialPad(n, x, plan, max ? -FLT_MAX : 0.0f, name + "/padded");
    plan.padding = "VALID";
  }
  Attrs attrs;
  attrs.set("layout", std::string("NCHW"));
  attrs.set("padding", plan.padding);
  attrs.set("stride_h", windows[0].stride);
  attrs.set("stride_w", windows[1].stride);
  attrs.set("filter_h", windows[0].kernel);
  attrs.set("filter_w", windows[1].kernel);
  attrs.set("activation", std::string("NONE"));
  const std::string out_name = one_d ? name + "/2d" : name;
  Tensor out;
  out.name = rescale ? name + "/padded_average" : out_name;
  out.dtype = n.input(0).dtype;
  out.quant = n.input(0).quant;
  out.shape = {in[0], in[1], static_cast<int32_t>(windows[0].out), static_cast<int32_t>(windows[1].out)};
  int out_id = n.ctx().AddTensor(std::move(out));
  n.ctx().AddNode(max ? OpKind::kMaxPool2D : OpKind::kAveragePool2D, {x}, {out_id}, std::move(attrs));
  if (rescale) {
    // The values of window o along an axis that lie inside the input.
    auto inside = [](const Window& w, int64_t o) {
      const int64_t start = o * w.stride - w.pad_begin;
      return std::max<int64_t>(0, std::min(start + w.kernel, w.in) - std::max<int64_t>(start, 0));
    };
    std::vector<float> ratio;
    for (int64_t oy = 0; oy < windows[0].out; ++oy)
      for (int64_t ox = 0; ox < windows[1].out; ++ox) {
        const int64_t count = inside(windows[0], oy) * inside(windows[1], ox);
        ratio.push_back(count == 0 ? 0.0f
                                   : static_cast<float>(static_cast<double>(windows[0].kernel * windows[1].kernel) /
                                                        static_cast<double>(count)));
      }
    const int ratio_id =
        n.ctx().AddFloatConstant(name + "/window_ratio", ratio,
                                 {1, 1, static_cast<int32_t>(windows[0].out), static_cast<int32_t>(windows[1].out)});
    out_id = EmitBinary(n, OpKind::kMul, out_id, ratio_id, out_name);
  }
  BindWindowOutput(n, out_id, one_d);
  return Status::Ok();
}

}  // namespace

Status EmitConvolution(OnnxNode& n, int x_id, int w_id, int bias, const Quantization* output_quant) {
  const Tensor x0 = n.graph().tensor(x_id);
  const Tensor w0 = n.graph().tensor(w_id);
  if (x0.shape.size() != w0.shape.size())
    return n.Invalid("X has rank {} but W has rank {}", x0.shape.size(), w0.shape.size());
  if (x0.shape.size() == 5) {
    if (output_quant != nullptr) return n.Unsupported("a quantized 3-D convolution");
    return EmitConvolution3D(n, x_id, w_id, bias);
  }
  const bool one_d = x0.shape.size() == 3;
  KILN_ASSIGN_OR_RETURN(int x, As4DTensor(n, x_id, "input"));
  KILN_ASSIGN_OR_RETURN(int w, As4DTensor(n, w_id, "filter"));
  const Shape in = n.graph().tensor(x).shape;
  const Shape filter = n.graph().tensor(w).shape;
  KILN_ASSIGN_OR_RETURN(int64_t group, n.attr_int("group", 1));
  const int64_t channels = in[1], out_channels = filter[0];
  if (group < 1 || channels % group != 0 || out_channels % group != 0 || filter[1] * group != channels)
    return n.Invalid("W {} with group {} does not fit X {}", ShapeString(w0.shape), group, ShapeString(x0.shape));
  std::vector<int64_t> kernel = {filter[2], filter[3]};
  if (n.has_attr("kernel_shape")) {
    KILN_ASSIGN_OR_RETURN(std::vector<int64_t> ks, n.attr_ints("kernel_shape"));
    if (one_d) ks.insert(ks.begin(), 1);
    if (ks != kernel) return n.Invalid("kernel_shape does not match W {}", ShapeString(w0.shape));
  }
  const onnx::NodeProto copy = WidenTo2D(n.proto(), one_d);
  OnnxNode wide(copy, n.ctx());
  KILN_ASSIGN_OR_RETURN(std::vector<Window> windows, ReadWindows(wide, {in[2], in[3]}, kernel, false));
  if (bias != kNoTensor && n.graph().tensor(bias).shape != Shape{static_cast<int32_t>(out_channels)})
    return n.Invalid("B has shape {}, expected [{}]", ShapeString(n.graph().tensor(bias).shape), out_channels);
  PaddingPlan plan = PlanPadding(windows);
  const std::string name = n.proto().output(0);
  if (plan.padding == "explicit") {
    x = EmitSpatialPad(n, x, plan, 0.0f, name + "/padded");
    plan.padding = "VALID";
  }
  const bool depthwise = group == channels && group > 1;
  Attrs attrs;
  attrs.set("layout", std::string("NCHW"));
  attrs.set("padding", plan.padding);
  attrs.set("stride_h", windows[0].stride);
  attrs.set("stride_w", windows[1].stride);
  attrs.set("dilation_h", windows[0].dilation);
  attrs.set("dilation_w", windows[1].dilation);
  attrs.set("activation", std::string("NONE"));
  if (depthwise) attrs.set("depth_multiplier", out_channels / channels);
  if (output_quant != nullptr) attrs.set("rounding", std::string("HALF_EVEN"));
  Tensor out;
  out.name = one_d ? name + "/2d" : name;
  out.dtype = output_quant != nullptr ? DType::kInt8 : DType::kFloat32;
  if (output_quant != nullptr) out.quant = *output_quant;
  out.shape = {in[0], static_cast<int32_t>(out_channels), static_cast<int32_t>(windows[0].out),
               static_cast<int32_t>(windows[1].out)};
  const int out_id = n.ctx().AddTensor(std::move(out));
  n.ctx().AddNode(depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D, {x, w, bias}, {out_id}, std::move(attrs));
  BindWindowOutput(n, out_id, one_d);
  return Status::Ok();
}


Status ConvertConv(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs X and W are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_RETURN_IF_ERROR(RequireFloat(n, 1));
  int bias = kNoTensor;
  if (n.has_input(2)) {
    KILN_RETURN_IF_ERROR(RequireFloat(n, 2));
    bias = n.input_id(2);
  }
  return EmitConvolution(n, n.input_id(0), n.input_id(1), bias, nullptr);
}

Status ConvertMaxPool(OnnxNode& n) { return ConvertPool(n, /*max=*/true); }
Status ConvertAveragePool(OnnxNode& n) { return ConvertPool(n, /*max=*/false); }

Status ConvertGlobalAveragePool(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  const Tensor& in = n.input(0);
  if (in.shape.size() < 3) return n.Invalid("input has rank {}, expected at least 3", in.shape.size());
  std::vector<int64_t> axes;
  Shape shape = {in.shape[0], in.shape[1]};
  for (size_t d = 2; d < in.shape.size(); ++d) {
    axes.push_back(static_cast<int64_t>(d));
    shape.push_back(1);
  }
  const int axes_id = n.ctx().AddInt32Constant(n.proto().output(0) + "/axes", axes);
  const int out = n.DefineOutput(0, in.dtype, shape);
  Attrs attrs;
  attrs.set("keep_dims", int64_t{1});
  n.ctx().AddNode(OpKind::kMean, {n.input_id(0), axes_id}, {out}, std::move(attrs));
  return Status::Ok();
}

Status ConvertGlobalMaxPool(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  const bool one_d = n.input(0).shape.size() == 3;
  KILN_ASSIGN_OR_RETURN(int x, As4D(n, 0, "input"));
  const Shape in = n.graph().tensor(x).shape;
  Attrs attrs;
  attrs.set("layout", std::string("NCHW"));
  attrs.set("padding", std::string("VALID"));
  attrs.set("stride_h", int64_t{1});
  attrs.set("stride_w", int64_t{1});
  attrs.set("filter_h", int64_t{in[2]});
  attrs.set("filter_w", int64_t{in[3]});
  attrs.set("activation", std::string("NONE"));
  Tensor out;
  out.name = n.proto().output(0) + (one_d ? "/2d" : "");
  out.dtype = n.input(0).dtype;
  out.shape = {in[0], in[1], 1, 1};
  const int out_id = n.ctx().AddTensor(std::move(out));
  n.ctx().AddNode(OpKind::kMaxPool2D, {x}, {out_id}, std::move(attrs));
  BindWindowOutput(n, out_id, one_d);
  return Status::Ok();
}

Status ConvertGemm(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs A and B are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_RETURN_IF_ERROR(RequireFloat(n, 1));
  KILN_ASSIGN_OR_RETURN(float alpha, n.attr_float("alpha", 1.0f));
  KILN_ASSIGN_OR_RETURN(float beta, n.attr_float("beta", 1.0f));
  KILN_ASSIGN_OR_RETURN(int64_t trans_a, n.attr_int("transA", 0));
  KILN_ASSIGN_OR_RETURN(int64_t trans_b, n.attr_int("transB", 0));
  const Tensor& a = n.input(0);
  const Tensor& b = n.input(1);
  if (a.shape.size() != 2 || b.shape.size() != 2)
    return n.Invalid("A {} and B {} must both be matrices", ShapeString(a.shape), ShapeString(b.shape));
  const int32_t m = trans_a ? a.shape[1] : a.shape[0];
  const int32_t k = trans_a ? a.shape[0] : a.shape[1];
  const int32_t kb = trans_b ? b.shape[1] : b.shape[0];
  const int32_t cols = trans_b ? b.shape[0] : b.shape[1];
  if (k != kb) return n.Invalid("A {} and B {} do not multiply (transA={}, transB={})", ShapeString(a.shape),
                                ShapeString(b.shape), trans_a, trans_b);
  const std::string name = n.proto().output(0);
  int input = n.input_id(0);
  if (trans_a) input = EmitTranspose(n, input, {1, 0}, name + "/a_t");
  // FULLY_CONNECTED wants weights [N, K]: B itself when transB, else B^T.
  int weights = n.input_id(1);
  if (!trans_b) weights = EmitTranspose(n, weights, {1, 0}, name + "/weights");
  bool alpha_pending = alpha != 1.0f;
  if (alpha_pending && n.graph().tensor(weights).is_constant) {
    Tensor scaled = n.graph().tensor(weights);
    scaled.name = name + "/weights_scaled";
    for (int64_t i = 0; i < scaled.num_elements(); ++i) {
      const float v = scaled.float_at(i) * alpha;
      std::memcpy(scaled.data.data() + i * 4, &v, 4);
    }
    weights = n.ctx().AddTensor(std::move(scaled));
    alpha_pending = false;
  }
  // beta * C becomes the bias when it is a constant vector over N.
  int bias = kNoTensor;
  int addend = kNoTensor;
  if (n.has_input(2) && beta != 0.0f) {
    KILN_RETURN_IF_ERROR(RequireFloat(n, 2));
    const Tensor& c = n.input(2);
    KILN_ASSIGN_OR_RETURN(Shape bc, BroadcastShapes(n, c.shape, {m, cols}));
    if (bc != Shape{m, cols}) return n.Invalid("C {} does not broadcast to [{},{}]", ShapeString(c.shape), m, cols);
    const bool row = c.num_elements() == cols && (c.shape.empty() || c.shape.back() == cols);
    if (c.is_constant && !alpha_pending && (row || c.num_elements() == 1)) {
      std::vector<float> values(static_cast<size_t>(cols));
      for (int32_t j = 0; j < cols; ++j) values[static_cast<size_t>(j)] = beta * c.float_at(row ? j : 0);
      const Quantization c_quant = c.quant;  // c dangles once a tensor is added
      bias = n.ctx().AddFloatConstant(name + "/bias", values);
      // Unchanged values keep a folded DequantizeLinear's quantization (passes/fuse_qdq.cc).
      if (beta == 1.0f && row) n.graph().tensors[static_cast<size_t>(bias)].quant = c_quant;
    } else {
      addend = n.input_id(2);
      if (beta != 1.0f)
        addend = EmitBinary(n, OpKind::kMul, addend, n.ctx().AddFloatConstant(name + "/beta", {beta}, {}),
                            name + "/c_scaled");
    }
  }
  const bool more = alpha_pending || addend != kNoTensor;
  Tensor out;
  out.name = more ? name + "/product" : name;
  out.dtype = DType::kFloat32;
  out.shape = {m, cols};
  int y = n.ctx().AddTensor(std::move(out));
  Attrs attrs;
  attrs.set("activation", std::string("NONE"));
  attrs.set("keep_num_dims", int64_t{0});
  n.ctx().AddNode(OpKind::kFullyConnected, {input, weights, bias}, {y}, std::move(attrs));
  if (alpha_pending)
    y = EmitBinary(n, OpKind::kMul, y, n.ctx().AddFloatConstant(name + "/alpha", {alpha}, {}),
                   addend != kNoTensor ? name + "/scaled" : name);
  if (addend != kNoTensor) y = EmitBinary(n, OpKind::kAdd, y, addend, name);
  n.BindOutput(0, y);
  return Status::Ok();
}

Status ConvertMatMul(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs A and B are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_RETURN_IF_ERROR(RequireFloat(n, 1));
  const Tensor& a = n.input(0);
  const Tensor& b = n.input(1);
  if (a.shape.empty() || b.shape.empty()) return n.Invalid("inputs must not be scalars");
  if (b.shape.size() > 2) return n.Unsupported("batched B of rank {} (B must be a matrix)", b.shape.size());
  const int32_t k = a.shape.back();
  const int32_t kb = b.shape[0];
  if (k != kb) return n.Invalid("A {} and B {} do not multiply", ShapeString(a.shape), ShapeString(b.shape));
  const bool b_vector = b.shape.size() == 1;
  const int32_t cols = b_vector ? 1 : b.shape[1];
  const std::string name = n.proto().output(0);
  int weights = b_vector ? EmitReshape(n, n.input_id(1), {1, k}, name + "/weights")
                         : EmitTranspose(n, n.input_id(1), {1, 0}, name + "/weights");
  Shape shape = a.shape;
  shape.back() = cols;
  Tensor out;
  out.name = b_vector ? name + "/column" : name;
  out.dtype = DType::kFloat32;
  out.shape = shape;
  const int y = n.ctx().AddTensor(std::move(out));
  Attrs attrs;
  attrs.set("activation", std::string("NONE"));
  attrs.set("keep_num_dims", int64_t{1});
  n.ctx().AddNode(OpKind::kFullyConnected, {n.input_id(0), weights, kNoTensor}, {y}, std::move(attrs));
  if (!b_vector) {
    n.BindOutput(0, y);
    return Status::Ok();
  }
  shape.pop_back();
  n.BindOutput(0, EmitReshape(n, y, shape, name));
  return Status::Ok();
}

Status ConvertBatchNormalization(OnnxNode& n) {
  for (size_t i = 0; i < 5; ++i)
    if (!n.has_input(i)) return n.Invalid("input {} is missing", i);
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  for (size_t i = 1; i < n.num_outputs(); ++i)
    if (n.has_output(i)) return n.Unsupported("training output {}", i);
  KILN_ASSIGN_OR_RETURN(int64_t training, n.attr_int("training_mode", 0));
  if (training) return n.Unsupported("attribute training_mode=1");
  KILN_ASSIGN_OR_RETURN(int64_t is_test, n.attr_int("is_test", 1));
  if (is_test == 0 && n.opset() < 7 && n.num_outputs() > 1) return n.Unsupported("attribute is_test=0 (training)");
  KILN_ASSIGN_OR_RETURN(int64_t spatial, n.attr_int("spatial", 1));
  if (spatial != 1) return n.Unsupported("attribute spatial={}", spatial);
  KILN_ASSIGN_OR_RETURN(float epsilon, n.attr_float("epsilon", 1e-5f));
  const Tensor& x = n.input(0);
  if (x.shape.size() < 2) return n.Invalid("X has rank {}, expected at least 2", x.shape.size());
  const int32_t c = x.shape[1];
  std::vector<std::vector<float>> p;
  const char* roles[] = {"scale", "B", "mean", "var"};
  for (size_t i = 1; i < 5; ++i) {
    KILN_ASSIGN_OR_RETURN(std::vector<float> v, n.ConstantFloats(i, roles[i - 1]));
    if (v.size() != static_cast<size_t>(c))
      return n.Invalid("{} has {} values, expected {} (the channels of X)", roles[i - 1], v.size(), c);
    p.push_back(std::move(v));
  }
  // y = x * s + t with s = scale / sqrt(var + eps), t = B - mean * s, per
  // channel (axis 1). passes/fold_channel_affine.cc folds both into a
  // preceding convolution.
  std::vector<float> s(static_cast<size_t>(c)), t(static_cast<size_t>(c));
  for (size_t i = 0; i < s.size(); ++i) {
    s[i] = static_cast<float>(p[0][i] / std::sqrt(static_cast<double>(p[3][i]) + epsilon));
    t[i] = p[1][i] - p[2][i] * s[i];
  }
  Shape cshape = {c};
  for (size_t d = 2; d < x.shape.size(); ++d) cshape.push_back(1);
  const std::string name = n.proto().output(0);
  int y = EmitBinary(n, OpKind::kMul, n.input_id(0), n.ctx().AddFloatConstant(name + "/scale", s, cshape),
                     name + "/scaled");
  y = EmitBinary(n, OpKind::kAdd, y, n.ctx().AddFloatConstant(name + "/shift", t, cshape), name);
  n.BindOutput(0, y);
  return Status::Ok();
}

namespace {

/// What LayerNormalization and InstanceNormalization compute alike.
struct Normalization {
  int mean, inv_std_dev, normalized;
};

/// ONNX's normalization of input 0 over its axes from `first_axis` on, step
/// by step in float32: the mean (MEAN, keep_dims), the variance (MEAN of the
/// centred input squared), the inverse standard deviation (RSQRT of it plus
/// epsilon), and the centred input times it.
Normalization EmitNormalization(OnnxNode& n, size_t first_axis, float epsilon, const std::string& name) {
  const Shape x_shape = n.input(0).shape;
  std::vector<int64_t> axes;
  Shape reduced = x_shape;
  for (size_t d = first_axis; d < x_shape.size(); ++d) {
    axes.push_back(static_cast<int64_t>(d));
    reduced[d] = 1;
  }
  Normalization out;
  out.mean = EmitReduce(n, OpKind::kMean, n.input_id(0), axes, true, reduced, name + "/mean");
  const int diff = EmitBinary(n, OpKind::kSub, n.input_id(0), out.mean, name + "/centered");
  const int variance = EmitReduce(n, OpKind::kMean, EmitBinary(n, OpKind::kMul, diff, diff, name + "/squared"), axes,
                                  true, reduced, name + "/variance");
  const int epsilon_id = n.ctx().AddFloatConstant(name + "/epsilon", {epsilon});
  out.inv_std_dev = EmitUnary(
      n, OpKind::kRsqrt, EmitBinary(n, OpKind::kAdd, variance, epsilon_id, name + "/variance_eps"),
      name + "/inv_std_dev");
  out.normalized = EmitBinary(n, OpKind::kMul, diff, out.inv_std_dev, name + "/normalized");
  return out;
}

}  // namespace

Status ConvertLayerNormalization(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("expected inputs X and Scale");
  for (size_t i = 0; i < 3; ++i)
    if (n.has_input(i)) KILN_RETURN_IF_ERROR(RequireFloat(n, i));
  KILN_ASSIGN_OR_RETURN(int64_t stash_type, n.attr_int("stash_type", 1));
  if (stash_type != 1) return n.Unsupported("attribute stash_type={} (float32 only)", stash_type);
  KILN_ASSIGN_OR_RETURN(float epsilon, n.attr_float("epsilon", 1e-5f));
  KILN_ASSIGN_OR_RETURN(int64_t axis_attr, n.attr_int("axis", -1));
  int64_t axis;
  if (!NormalizeAxis(axis_attr, n.input(0).shape.size(), &axis)) return n.Invalid("axis {} is out of range", axis_attr);
  // Over the axes from `axis` on, then times Scale, plus B.
  const std::string name = n.proto().output(0);
  const Normalization norm = EmitNormalization(n, static_cast<size_t>(axis), epsilon, name);
  int y = EmitBinary(n, OpKind::kMul, norm.normalized, n.input_id(1), n.has_input(2) ? name + "/scaled" : name);
  if (n.has_input(2)) y = EmitBinary(n, OpKind::kAdd, y, n.input_id(2), name);
  n.BindOutput(0, y);
  if (n.has_output(1)) n.BindOutput(1, norm.mean);
  if (n.has_output(2)) n.BindOutput(2, norm.inv_std_dev);
  return Status::Ok();
}

Status ConvertInstanceNormalization(OnnxNode& n) {
  for (size_t i = 0; i < 3; ++i) {
    if (!n.has_input(i)) return n.Invalid("expected inputs input, scale and B");
    KILN_RETURN_IF_ERROR(RequireFloat(n, i));
  }
  KILN_ASSIGN_OR_RETURN(float epsilon, n.attr_float("epsilon", 1e-5f));
  const Shape x_shape = n.input(0).shape;
  if (x_shape.size() < 3) return n.Invalid("input has rank {}, expected at least 3 ([N, C, D1 ...])", x_shape.size());
  const int32_t channels = x_shape[1];
  for (size_t i = 1; i < 3; ++i)
    if (n.input(i).shape != Shape{channels})
      return n.Invalid("input {} has shape {}, expected [{}] (the channels)", i, ShapeString(n.input(i).shape),
                       channels);
  // Per sample and channel over the spatial axes, then times the [C] scale,
  // plus B, both reshaped to [C, 1 ...] to broadcast.
  Shape per_channel(x_shape.size() - 1, 1);
  per_channel[0] = channels;
  const std::string name = n.proto().output(0);
  const Normalization norm = EmitNormalization(n, 2, epsilon, name);
  const int y = EmitBinary(n, OpKind::kMul, norm.normalized,
                           EmitReshape(n, n.input_id(1), per_channel, name + "/scale"), name + "/scaled");
  n.BindOutput(0, EmitBinary(n, OpKind::kAdd, y, EmitReshape(n, n.input_id(2), per_channel, name + "/bias"), name));
  return Status::Ok();
}

}  // namespace kiln::onnx_import
